package io.ddp.sample.postgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * A DDP client on a raw WebSocket that keeps every frame it receives as text, and the
 * documents of its subscriptions as the frames describe them.
 */
final class RawDdp implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final List<String> frames = new CopyOnWriteArrayList<>();

	/** Collection name, then id, then the document's fields. */
	final Map<String, Map<String, ObjectNode>> documents = new ConcurrentHashMap<>();

	private final WebSocket socket;

	private final StringBuilder partial = new StringBuilder();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	private int nextId;

	RawDdp(int port) {
		this.socket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/websocket"), new Listener())
			.join();
		send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
		awaitFrame((frame) -> frame.contains("\"msg\":\"connected\""));
	}

	void send(String frame) {
		this.socket.sendText(frame, true).join();
	}

	String awaitFrame(Predicate<String> condition) {
		return await().atMost(Duration.ofSeconds(20))
			.until(() -> this.frames.stream().filter(condition).findFirst().orElse(null), (frame) -> frame != null);
	}

	void subscribe(String name, String params) {
		String id = "sub" + (++this.nextId);
		send("{\"msg\":\"sub\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"params\":" + params + "}");
		awaitFrame((frame) -> frame.contains("\"msg\":\"ready\"") && frame.contains("\"" + id + "\""));
	}

	/** Call a method and return its result frame. */
	JsonNode call(String method, String params) {
		String id = "m" + (++this.nextId);
		send("{\"msg\":\"method\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + params + "}");
		return JSON.readTree(awaitFrame((frame) -> frame.startsWith("{\"msg\":\"result\",\"id\":\"" + id + "\"")));
	}

	boolean isClosed() {
		return this.closed.isDone();
	}

	@Override
	public void close() {
		this.socket.abort();
	}

	private void received(String frame) {
		this.frames.add(frame);
		JsonNode message = JSON.readTree(frame);
		String msg = message.path("msg").asString("");
		if (msg.equals("ping")) {
			send("{\"msg\":\"pong\"}");
			return;
		}
		if (!msg.equals("added") && !msg.equals("changed") && !msg.equals("removed")) {
			return;
		}
		Map<String, ObjectNode> collection = this.documents.computeIfAbsent(message.get("collection").asString(),
				(name) -> new ConcurrentHashMap<>());
		String id = message.get("id").asString();
		switch (msg) {
			case "added" -> collection.put(id, (ObjectNode) message.path("fields").deepCopy());
			case "changed" -> {
				ObjectNode fields = collection.get(id);
				message.path("fields").properties().forEach((field) -> fields.set(field.getKey(), field.getValue()));
				message.path("cleared").forEach((field) -> fields.remove(field.asString()));
			}
			default -> collection.remove(id);
		}
	}

	private final class Listener implements WebSocket.Listener {

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			RawDdp.this.partial.append(data);
			if (last) {
				String frame = RawDdp.this.partial.toString();
				RawDdp.this.partial.setLength(0);
				received(frame);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			RawDdp.this.closed.complete(null);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			RawDdp.this.closed.complete(null);
		}

	}

}
