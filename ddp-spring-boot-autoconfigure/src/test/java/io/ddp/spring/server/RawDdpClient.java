package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A frame-level DDP test client on the JDK's WebSocket: sends text as given and records
 * every frame the server sends, so tests can assert exact wire behaviour.
 */
final class RawDdpClient implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration WAIT = Duration.ofSeconds(10);

	// Bounds a close: a server that stopped reading this socket must not hold a test.
	private static final long CLOSE_WAIT_SECONDS = 5;

	private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<Integer> closed = new CompletableFuture<>();

	private final WebSocket socket;

	private RawDdpClient(URI uri, Map<String, String> headers) {
		WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
		headers.forEach(builder::header);
		this.socket = builder.buildAsync(uri, new Listener()).join();
	}

	static RawDdpClient open(URI uri) {
		return new RawDdpClient(uri, Map.of());
	}

	static RawDdpClient open(URI uri, Map<String, String> headers) {
		return new RawDdpClient(uri, headers);
	}

	/**
	 * Open and complete the handshake with the reference client's connect frame.
	 */
	static RawDdpClient connected(URI uri) {
		RawDdpClient client = open(uri);
		client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}");
		JsonNode connected = client.next();
		assertThat(connected.get("msg").asString()).isEqualTo("connected");
		return client;
	}

	RawDdpClient send(String text) {
		this.socket.sendText(text, true).join();
		return this;
	}

	RawDdpClient sendBinary(byte[] bytes) {
		this.socket.sendBinary(java.nio.ByteBuffer.wrap(bytes), true).join();
		return this;
	}

	RawDdpClient sendInParts(String text, int partSize) {
		for (int i = 0; i < text.length(); i += partSize) {
			int end = Math.min(text.length(), i + partSize);
			this.socket.sendText(text.substring(i, end), end == text.length()).join();
		}
		return this;
	}

	JsonNode next() {
		return JSON.readTree(nextText());
	}

	String nextText() {
		try {
			String frame = this.frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(frame).as("a frame within %s", WAIT).isNotNull();
			return frame;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Skip frames until one matches, failing if none arrives in time.
	 */
	JsonNode next(Predicate<JsonNode> match) {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline) {
			JsonNode frame = next();
			if (match.test(frame)) {
				return frame;
			}
		}
		throw new AssertionError("no matching frame within " + WAIT);
	}

	/**
	 * Call a method and return its result frame (skipping its {@code updated}).
	 */
	JsonNode call(String id, String method, String paramsJson) {
		send("{\"msg\":\"method\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
		return next((frame) -> "result".equals(frame.path("msg").asString()) && id.equals(frame.path("id").asString()));
	}

	/**
	 * Assert that nothing arrives for the given time.
	 */
	void expectSilence(Duration duration) throws InterruptedException {
		String frame = this.frames.poll(duration.toMillis(), TimeUnit.MILLISECONDS);
		assertThat(frame).as("no frame expected").isNull();
	}

	int awaitClose() {
		return this.closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
	}

	boolean isClosed() {
		return this.closed.isDone();
	}

	/**
	 * Close as a well-behaved client does: send 1000 and wait (bounded) for the server's
	 * close before dropping the socket. Dropping it at once could reset the connection
	 * before the close frame was read, and the server would log a failed socket.
	 */
	@Override
	public void close() {
		try {
			if (!this.socket.isOutputClosed()) {
				this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
			}
			this.closed.get(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// the socket is dropped below either way
		}
		finally {
			this.socket.abort();
		}
	}

	static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private final class Listener implements WebSocket.Listener {

		private final StringBuilder partial = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				RawDdpClient.this.frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			RawDdpClient.this.closed.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			RawDdpClient.this.closed.complete(-1);
		}

	}

}
