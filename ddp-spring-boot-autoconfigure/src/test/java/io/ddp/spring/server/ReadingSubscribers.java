package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.awaitility.Awaitility.await;

/**
 * Many lean WebSocket clients on one JDK HTTP client, subscribed to a publication and
 * reading everything: each records when the {@code added} of document number {@code i} (a
 * text starting {@code "<i>|"}) reaches it.
 */
final class ReadingSubscribers implements AutoCloseable {

	private static final int HEAD = 256;

	private final List<WebSocket> sockets = new ArrayList<>();

	private final AtomicIntegerArray received;

	private final AtomicLongArray lastArrival;

	private final AtomicIntegerArray ready;

	ReadingSubscribers(URI uri, int count, String subscription, int documents) {
		this.received = new AtomicIntegerArray(documents);
		this.lastArrival = new AtomicLongArray(documents);
		this.ready = new AtomicIntegerArray(count);
		HttpClient http = HttpClient.newHttpClient();
		for (int i = 0; i < count; i++) {
			int index = i;
			WebSocket socket = http.newWebSocketBuilder()
				.connectTimeout(Duration.ofSeconds(10))
				.buildAsync(uri, new Reader(() -> this.ready.set(index, 1)))
				.join();
			socket.sendText("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}", true).join();
			socket.sendText(subscription, true).join();
			this.sockets.add(socket);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			for (int i = 0; i < count; i++) {
				if (this.ready.get(i) == 0) {
					return false;
				}
			}
			return true;
		});
	}

	int size() {
		return this.sockets.size();
	}

	int received(int document) {
		return this.received.get(document);
	}

	/**
	 * Return when the last subscriber got the document, in {@link System#nanoTime()}.
	 */
	long lastArrival(int document) {
		return this.lastArrival.get(document);
	}

	@Override
	public void close() {
		for (WebSocket socket : this.sockets) {
			socket.abort();
		}
	}

	private final class Reader implements WebSocket.Listener {

		// The start of the frame being received: enough to tell its type and document.
		private final StringBuilder head = new StringBuilder();

		private final Runnable onReady;

		Reader(Runnable onReady) {
			this.onReady = onReady;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			if (this.head.length() < HEAD) {
				this.head.append(data, 0, Math.min(data.length(), HEAD - this.head.length()));
			}
			if (last) {
				frame(webSocket, this.head.toString());
				this.head.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		private void frame(WebSocket webSocket, String text) {
			if (text.startsWith("{\"msg\":\"added\"")) {
				int start = text.indexOf("\"text\":\"") + 8;
				int document = Integer.parseInt(text, start, text.indexOf('|', start), 10);
				long now = System.nanoTime();
				ReadingSubscribers.this.lastArrival.accumulateAndGet(document, now, Math::max);
				ReadingSubscribers.this.received.incrementAndGet(document);
			}
			else if (text.startsWith("{\"msg\":\"ready\"")) {
				this.onReady.run();
			}
			else if (text.startsWith("{\"msg\":\"ping\"")) {
				webSocket.sendText("{\"msg\":\"pong\"}", true);
			}
		}

	}

}
