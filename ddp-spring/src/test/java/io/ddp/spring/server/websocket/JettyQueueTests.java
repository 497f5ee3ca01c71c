package io.ddp.spring.server.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link JettyQueue} against a real Jetty WebSocket server and the JDK's WebSocket
 * client: batches go out through Jetty's core session (a frame marked as followed by more
 * is held for the rest), and every frame arrives whole, in order, and is accounted as
 * written.
 */
class JettyQueueTests {

	private final CompletableFuture<JettyQueue> queue = new CompletableFuture<>();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private @Nullable Server server;

	private @Nullable WebSocket client;

	// Set by a test before it sends: the client then stops asking for frames, so the JDK
	// stops reading its socket.
	private volatile boolean stalled;

	@BeforeEach
	void start() throws Exception {
		Server server = new Server();
		ServerConnector connector = new ServerConnector(server);
		connector.setHost("127.0.0.1");
		int port = TestSocketUtils.findAvailableTcpPort();
		connector.setPort(port);
		server.addConnector(connector);
		server.setHandler(WebSocketUpgradeHandler.from(server,
				(container) -> container.addMapping("/ws", (request, response, callback) -> new Endpoint())));
		server.start();
		this.server = server;
		this.client = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new Receiver())
			.get(10, TimeUnit.SECONDS);
	}

	@AfterEach
	void stop() throws Exception {
		WebSocket client = this.client;
		if (client != null) {
			client.abort();
		}
		Server server = this.server;
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void batchLeavesWholeAndInOrderThroughTheCoreSession() throws Exception {
		JettyQueue queue = this.queue.get(10, TimeUnit.SECONDS);
		assertThat(queue.usesCoreSends()).isTrue();
		queue.send("{\"msg\":\"updated\",\"methods\":[\"1\"]}",
				"{\"msg\":\"result\",\"id\":\"1\",\"result\":\"é€😀\"}");
		queue.send("{\"msg\":\"ready\",\"subs\":[\"s\"]}");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.received.size() == 3);
		assertThat(this.received).containsExactly("{\"msg\":\"updated\",\"methods\":[\"1\"]}",
				"{\"msg\":\"result\",\"id\":\"1\",\"result\":\"é€😀\"}", "{\"msg\":\"ready\",\"subs\":[\"s\"]}");
		await().atMost(Duration.ofSeconds(10)).until(() -> queue.queuedChars() == 0);
		assertThat(this.events).isEmpty();
	}

	@Test
	void framesQueuedBehindWritesAllArriveInOrder() throws Exception {
		JettyQueue queue = this.queue.get(10, TimeUnit.SECONDS);
		List<String> sent = new ArrayList<>();
		String padding = "x".repeat(2000);
		for (int i = 0; i < 500; i++) {
			String frame = "{\"msg\":\"changed\",\"id\":\"" + i + "\",\"fields\":{\"p\":\"" + padding + "\"}}";
			sent.add(frame);
			if (i % 3 == 0) {
				queue.send(frame);
			}
			else {
				// The same frame instance twice in a row, as a fan-out hands it over.
				queue.send(frame);
				queue.send(frame);
				sent.add(frame);
			}
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> this.received.size() == sent.size());
		assertThat(this.received).containsExactlyElementsOf(sent);
		await().atMost(Duration.ofSeconds(10)).until(() -> queue.queuedChars() == 0);
		assertThat(this.events).isEmpty();
	}

	@Test
	void closeFollowsTheLastFrame() throws Exception {
		JettyQueue queue = this.queue.get(10, TimeUnit.SECONDS);
		queue.send("a", "b");
		queue.close(1000, "bye");
		await().atMost(Duration.ofSeconds(10)).until(() -> this.events.contains("close 1000 bye"));
		assertThat(this.received).containsExactly("a", "b");
	}

	@Test
	void writeStalledByThePeerStaysInProgressUntilTheWatchReportsIt() throws Exception {
		JettyQueue queue = this.queue.get(10, TimeUnit.SECONDS);
		SendTimeWatch watch = new SendTimeWatch(false);
		watch.watch(queue);
		this.stalled = true;
		// Alone in the queue, so past the buffer limit yet admitted; larger than what
		// loopback's socket buffers hold for a client that reads nothing.
		String frame = "{\"msg\":\"added\",\"fields\":{\"p\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}}";
		queue.send(frame);
		Thread.sleep(500);
		assertThat(queue.queuedChars()).as("the write is still in progress").isEqualTo(frame.length());
		watch.check(System.nanoTime());
		assertThat(this.events).isEmpty();
		watch.check(System.nanoTime() + TimeUnit.SECONDS.toNanos(11));
		assertThat(this.events).containsExactly("limit TIME");
	}

	/**
	 * The server side: a queue on every session opened.
	 */
	public final class Endpoint implements Session.Listener.AutoDemanding {

		@Override
		public void onWebSocketOpen(Session session) {
			JettyQueueTests.this.queue.complete(
					new JettyQueue(session, 1_000_000, TimeUnit.SECONDS.toNanos(10), new OutboundQueue.Listener() {

						@Override
						public void limitExceeded(OutboundQueue.SendLimit limit, long queued) {
							JettyQueueTests.this.events.add("limit " + limit);
						}

						@Override
						public void closeSocket(int code, String reason, boolean aborted) {
							JettyQueueTests.this.events.add("close " + code + " " + reason);
							session.close(code, reason, Callback.NOOP);
						}

					}));
		}

	}

	private final class Receiver implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				JettyQueueTests.this.received.add(this.text.toString());
				this.text.setLength(0);
			}
			if (!JettyQueueTests.this.stalled) {
				webSocket.request(1);
			}
			return null;
		}

	}

}
