package io.ddp.spring.server;

import java.io.IOException;
import java.time.Duration;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.server.CollectionTestApplication.Todo;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading in the middle of a write is closed at the send time limit
 * even when nothing more is sent to it: no frame follows the stalled write to notice it
 * (heartbeats off, no more changes), so only the periodic watch can. The container's own
 * send timeout is not set, so it cannot be what closes it.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpSlowConsumerTests.Meters.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "ddp.server.send.time-limit=2s",
				"ddp.server.send.buffer-size-limit=64MB", "ddp.server.heartbeat.interval=0" })
class DdpStalledWriteTests {

	private static final String PADDING = "x".repeat(64 * 1024);

	@LocalServerPort
	int port;

	@Autowired
	DdpCollection<Todo> todos;

	@Autowired
	DdpServer server;

	@Autowired
	MeterRegistry meters;

	@Test
	void writeThatStallsWithNothingAfterItIsClosedAtTheTimeLimit() throws IOException {
		try (BareWebSocket stalled = BareWebSocket.open(this.port, 4096)) {
			stalled.text("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}")
				.text("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"openTodos\",\"params\":[\"stall\"]}")
				.flush();
			assertThat(stalled.readUntil("\"ready\"")).contains("\"s\"");
			stallAndAwaitTheTimeLimit("stall");
			// Reading again, the client gets what was being written, then the socket ends
			// (with the close frame if it left before Tomcat gave up waiting for it).
			assertThat(stalled.readUntilClosed()).isIn(1008, -1);
			await().atMost(Duration.ofSeconds(15)).until(() -> this.server.sessionCount() == 0);
		}
	}

	/**
	 * The same over SockJS's WebSocket transport, whose frames leave through the
	 * executor's queue (a blocking send on a sender thread), not the container's
	 * asynchronous one: the watch must catch a send that blocks there too, and the
	 * blocked sender thread must come free.
	 */
	@Test
	void sockJsWriteThatStallsWithNothingAfterItIsClosedAtTheTimeLimit() throws IOException {
		try (BareWebSocket stalled = BareWebSocket.open(this.port, "/sockjs/000/stalled1/websocket", 4096)) {
			assertThat(stalled.read()).isEqualTo("o");
			stalled.text("[\"{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}\"]")
				.text("[\"{\\\"msg\\\":\\\"sub\\\",\\\"id\\\":\\\"s\\\",\\\"name\\\":\\\"openTodos\\\","
						+ "\\\"params\\\":[\\\"sockjs-stall\\\"]}\"]")
				.flush();
			assertThat(stalled.readUntil("ready")).contains("\\\"s\\\"");
			stallAndAwaitTheTimeLimit("sockjs-stall");
			assertThat(stalled.readUntilClosed()).isIn(1008, -1);
			await().atMost(Duration.ofSeconds(15)).until(() -> this.server.sessionCount() == 0);
		}
		// The sender thread that was blocked serves the next SockJS session.
		try (BareWebSocket next = BareWebSocket.open(this.port, "/sockjs/000/after1/websocket", 65536)) {
			assertThat(next.read()).isEqualTo("o");
			next.text("[\"{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}\"]")
				.flush();
			assertThat(next.readUntil("connected")).startsWith("a[");
		}
	}

	// 8 MiB of changes to the owner's todos: more than loopback's socket buffers hold for
	// a client that reads nothing, so the server's write stalls; then nothing more
	// happens, and the session must be closed for its send time limit (2 s).
	private void stallAndAwaitTheTimeLimit(String owner) {
		for (int i = 0; i < 128; i++) {
			this.todos.insert(new Todo(null, owner, i + "|" + PADDING, false));
		}
		long lastChange = System.nanoTime();
		double before = closedFor("send-time-limit");
		await().atMost(Duration.ofSeconds(15)).until(() -> closedFor("send-time-limit") == before + 1);
		assertThat(Duration.ofNanos(System.nanoTime() - lastChange)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
		assertThat(closedFor("send-buffer-size-limit")).isZero();
	}

	private double closedFor(String reason) {
		return this.meters.get("ddp.server.sessions.closed").tag("reason", reason).counter().count();
	}

}
