package io.ddp.spring.test.tester;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpSession;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Links over a real WebSocket, with the JDK's client.
 */
final class WebSocketTransport implements TesterTransport {

	private final Supplier<URI> url;

	private final @Nullable DdpServer server;

	private final JsonMapper json;

	private final Duration timeout;

	// One client, so one selector thread, for all of the tester's sockets.
	private final HttpClient client = HttpClient.newHttpClient();

	/**
	 * Create the transport.
	 * @param url resolved each time a link opens, so a port known only once the server
	 * started is read late enough
	 * @param server the server when it runs in this JVM, to log sessions in; {@code null}
	 * for a remote one
	 */
	WebSocketTransport(Supplier<URI> url, @Nullable DdpServer server, JsonMapper json, Duration timeout) {
		this.url = url;
		this.server = server;
		this.json = json;
		this.timeout = timeout;
	}

	boolean canAssignUsers() {
		return this.server != null;
	}

	/**
	 * Return an {@code X-Forwarded-For} value in which the server, counting
	 * {@code forwardedCount} proxies from the right, finds the client address.
	 */
	static String forwardedFor(String clientAddress, int forwardedCount) {
		StringBuilder value = new StringBuilder(clientAddress);
		for (int i = 1; i < forwardedCount; i++) {
			value.append(", 127.0.0.1");
		}
		return value.toString();
	}

	@Override
	public Link open(Identity identity, FrameLog log) {
		URI uri = this.url.get();
		WebSocket.Builder builder = this.client.newWebSocketBuilder().connectTimeout(this.timeout);
		identity.headers().forEach(builder::header);
		String clientAddress = identity.clientAddress();
		if (clientAddress != null) {
			int forwardedCount = (this.server != null) ? this.server.options().forwardedCount() : 1;
			if (forwardedCount <= 0) {
				throw new IllegalStateException("Over a WebSocket the client address reaches the server only in "
						+ "X-Forwarded-For: set ddp.server.forwarded-count=1 in the test, or test in process");
			}
			builder.header("X-Forwarded-For", forwardedFor(clientAddress, forwardedCount));
		}
		WebSocketLink link = new WebSocketLink(log, this.json);
		link.socket = builder.buildAsync(uri, link).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS).join();
		return link;
	}

	@Override
	public String toString() {
		return "DDP server at " + this.url.get();
	}

	private final class WebSocketLink implements Link, WebSocket.Listener {

		private final FrameLog log;

		private final JsonMapper json;

		private final StringBuilder partial = new StringBuilder();

		private volatile @Nullable WebSocket socket;

		WebSocketLink(FrameLog log, JsonMapper json) {
			this.log = log;
			this.json = json;
		}

		@Override
		public void sendToServer(String frame) {
			WebSocket socket = this.socket;
			if (socket == null) {
				throw new IllegalStateException("The WebSocket is not open yet");
			}
			synchronized (this) {
				socket.sendText(frame, true).join();
			}
		}

		@Override
		public void assignUser(String sessionId, String userId) {
			DdpServer server = WebSocketTransport.this.server;
			if (server == null) {
				throw new IllegalStateException("A user id needs the DdpServer in this JVM");
			}
			for (ClientConnection connection : server.connections()) {
				if (connection.id().equals(sessionId) && connection instanceof DdpSession session) {
					session.setUserId(userId);
					return;
				}
			}
			throw new IllegalStateException("No session '" + sessionId + "' in " + server
					+ ": the WebSocket reached another server than the DdpServer of this test");
		}

		@Override
		public void close() {
			WebSocket socket = this.socket;
			this.log.closed("closed by the test");
			if (socket != null && !socket.isOutputClosed()) {
				socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
			}
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			this.socket = webSocket;
			webSocket.request(1);
		}

		@Override
		public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String text = this.partial.toString();
				this.partial.setLength(0);
				Frames.receive(this.json.readTree(text), this.log, this::sendToServer);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
			webSocket.request(1);
			return null;
		}

		@Override
		public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.log.closed(statusCode + " " + reason);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.log.closed("WebSocket error: " + error);
		}

	}

}
