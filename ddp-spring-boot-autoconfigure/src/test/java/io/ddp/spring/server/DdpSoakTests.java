package io.ddp.spring.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.server.CollectionTestApplication.Todo;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.websocket.SendTimeWatches;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Soak (issue 11): thousands of clients connect, subscribe, call and drop, many in the
 * middle of a call, changing the published documents; afterwards the server holds nothing
 * of them: no session, socket, running method, observer, and the heap is back near where
 * it started. {@code -Dddp.soak.clients=...} sets the number of clients (2,000 by
 * default) for a longer run by hand.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpSoakTests.SlowMethods.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpSoakTests {

	private static final int CLIENTS = Integer.getInteger("ddp.soak.clients", 2_000);

	private static final int PARALLELISM = 16;

	// Room for what a run legitimately keeps: JIT-compiled code's metadata lives off the
	// heap, but Tomcat keeps recycled request processors and their buffers, and
	// per-thread allocation buffers of the pool threads are counted as used; 2,000
	// leaked sessions with their merge boxes (20 documents each) would be far above.
	private static final long HEAP_MARGIN = 32L * 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	DdpServer server;

	@Autowired
	DdpCollection<Todo> todos;

	@Test
	void droppedClientsLeaveNothingBehind() throws Exception {
		for (int i = 0; i < 20; i++) {
			this.todos.insert(new Todo(null, "soak", "document " + i, false));
		}
		// JVM-wide: sockets of other tests' servers may still be watched
		int watchedBefore = SendTimeWatches.watched();
		run(200);
		awaitNothingLeft();
		long baseline = usedHeapAfterGc();
		run(CLIENTS);
		awaitNothingLeft();
		assertThat(SendTimeWatches.watched()).as("sockets whose writes are watched").isLessThanOrEqualTo(watchedBefore);
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(usedHeapAfterGc()).as("heap used after the soak, baseline %d", baseline)
				.isLessThan(baseline + HEAP_MARGIN));
	}

	private void run(int clients) throws Exception {
		AtomicInteger completed = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int i = 0; i < clients; i++) {
				int client = i;
				futures.add(pool.submit(() -> {
					client(client);
					completed.incrementAndGet();
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(completed).hasValue(clients);
	}

	// Each client subscribes, calls a slow method and changes the published documents
	// (sent to every client subscribed at that moment); a third leave before 'ready', a
	// third in the middle of the call, a third after its result.
	private void client(int client) throws IOException {
		try (BareWebSocket socket = BareWebSocket.open(this.port, 64 * 1024)) {
			socket.text("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}")
				.text("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"openTodos\",\"params\":[\"soak\"]}")
				.text("{\"msg\":\"method\",\"id\":\"m\",\"method\":\"soak.slow\",\"params\":["
						+ ThreadLocalRandom.current().nextInt(20, 60) + "]}")
				.flush();
			this.todos.remove(this.todos.insert(new Todo(null, "soak", "churn " + client, false)));
			switch (client % 3) {
				case 0 -> socket.readUntil("\"connected\"");
				case 1 -> socket.readUntil("\"ready\"");
				default -> assertThat(socket.readUntil("\"result\"")).contains("\"m\"");
			}
		}
	}

	private void awaitNothingLeft() {
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(this.server.openSocketCount()).as("open sockets").isZero();
			assertThat(this.server.sessionCount()).as("sessions").isZero();
			assertThat(this.server.runningMethodCount()).as("running methods").isZero();
			assertThat(this.todos.observerCount()).as("observers of published cursors").isZero();
		});
	}

	private static long usedHeapAfterGc() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		System.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SlowMethods {

		@Bean
		Slow slow() {
			return new Slow();
		}

	}

	static class Slow {

		@DdpMethod("soak.slow")
		public long slow(long millis) throws InterruptedException {
			Thread.sleep(millis);
			return millis;
		}

	}

}
