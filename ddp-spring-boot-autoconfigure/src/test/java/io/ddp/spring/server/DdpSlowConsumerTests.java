package io.ddp.spring.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.server.CollectionTestApplication.Todo;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading costs only itself (issue 11): 200 subscribers read a
 * fan-out of 64 KiB documents as fast without a stalled subscriber as with one, and the
 * stalled one is closed with 1008 once the frames waiting for it pass its limit.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpSlowConsumerTests.Meters.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.send.buffer-size-limit=1MB")
class DdpSlowConsumerTests {

	private static final int READERS = 200;

	private static final int WARM_UP = 5;

	private static final int DOCUMENTS = 100;

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
	void stalledSubscriberIsClosedAtItsLimitWithoutDelayingTheOthers() throws IOException {
		String sub = "{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"openTodos\",\"params\":[\"fanout\"]}";
		int total = WARM_UP + 2 * DOCUMENTS;
		try (ReadingSubscribers readers = new ReadingSubscribers(
				URI.create("ws://127.0.0.1:" + this.port + "/websocket"), READERS, sub, total)) {
			insert(readers, 0, WARM_UP);
			long alone = insert(readers, WARM_UP, DOCUMENTS);
			try (BareWebSocket stalled = BareWebSocket.open(this.port, 4096)) {
				stalled.text("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}").text(sub).flush();
				assertThat(stalled.readUntil("\"ready\"")).contains("\"s\"");
				// Now the stalled client reads nothing until the server closed it, then
				// what was queued before its limit and the close frame.
				CompletableFuture<Integer> closeCode = CompletableFuture.supplyAsync(() -> {
					await().atMost(Duration.ofSeconds(60)).until(() -> closedAtLimit() == 1);
					try {
						return stalled.readUntilClosed();
					}
					catch (IOException ex) {
						throw new UncheckedIOException(ex);
					}
				});
				long withStalled = insert(readers, WARM_UP + DOCUMENTS, DOCUMENTS);
				assertThat(closeCode).succeedsWithin(Duration.ofSeconds(20)).isEqualTo(1008);
				assertThat(this.server.sessionCount()).isEqualTo(READERS);
				assertThat(Duration.ofNanos(withStalled))
					.as("worst delivery with a stalled subscriber (without: %s)", Duration.ofNanos(alone))
					.isLessThanOrEqualTo(Duration.ofNanos(2 * alone));
			}
		}
	}

	// Insert documents one after the other, each once the previous reached every
	// reader, and return the worst time from an insert to its last reader.
	private long insert(ReadingSubscribers readers, int first, int count) {
		long worst = 0;
		for (int i = first; i < first + count; i++) {
			int document = i;
			long start = System.nanoTime();
			String id = this.todos.insert(new Todo(null, "fanout", i + "|" + PADDING, false));
			await().atMost(Duration.ofSeconds(20)).until(() -> readers.received(document) == readers.size());
			worst = Math.max(worst, readers.lastArrival(document) - start);
			// Removed at once: the test is about inserts, not a growing set.
			this.todos.remove(id);
		}
		return worst;
	}

	private double closedAtLimit() {
		return this.meters.get("ddp.server.sessions.closed").tag("reason", "send-buffer-size-limit").counter().count();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
