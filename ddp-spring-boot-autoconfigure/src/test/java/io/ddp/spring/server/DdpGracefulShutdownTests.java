package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.server.session.DdpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown of a real server: running methods finish and their results reach the
 * client, new sockets are turned away, open sessions close spread over the period.
 */
class DdpGracefulShutdownTests {

	private final List<RawDdpClient> clients = new ArrayList<>();

	// Own threads, never the common pool: its single worker on a 2-core machine would be
	// held by the blocking close and starve the JDK WebSocket client's async stages.
	private final ExecutorService threads = Executors.newCachedThreadPool();

	private ConfigurableApplicationContext context;

	@AfterEach
	void cleanUp() {
		this.clients.forEach(RawDdpClient::close);
		this.threads.shutdownNow();
		if (this.context != null) {
			this.context.close();
		}
	}

	private URI start(String... properties) {
		this.context = new SpringApplicationBuilder(OpsTestApplication.class, Rejections.class)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(properties)
			.run();
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		return URI.create("ws://127.0.0.1:" + port + "/websocket");
	}

	private RawDdpClient connect(URI uri) {
		RawDdpClient client = RawDdpClient.connected(uri);
		this.clients.add(client);
		return client;
	}

	@Test
	void aMethodRunningAtShutdownCompletesAndItsResultReachesTheClient() {
		URI uri = start("ddp.server.shutdown.await-methods=10s", "ddp.server.shutdown.close-period=0s");
		RawDdpClient caller = connect(uri);
		DdpServer server = this.context.getBean(DdpServer.class);
		caller.send("{\"msg\":\"method\",\"id\":\"slow\",\"method\":\"sleep\",\"params\":[1500]}");
		await().until(() -> server.runningMethodCount() == 1);
		CompletableFuture<Void> closing = CompletableFuture.runAsync(this.context::close, this.threads);
		await().until(() -> !server.isAccepting());
		JsonNode result = caller.next((frame) -> "result".equals(frame.path("msg").asString()));
		assertThat(result.path("id").asString()).isEqualTo("slow");
		assertThat(result.path("result").asString()).isEqualTo("slept 1500");
		// Closed only after the result was sent, with 1001 (going away).
		assertThat(caller.awaitClose()).isEqualTo(1001);
		closing.orTimeout(30, TimeUnit.SECONDS).join();
	}

	@Test
	void awaitingMethodsIsBoundedByItsTimeout() {
		URI uri = start("ddp.server.shutdown.await-methods=500ms", "ddp.server.shutdown.close-period=0s");
		RawDdpClient caller = connect(uri);
		DdpServer server = this.context.getBean(DdpServer.class);
		caller.send("{\"msg\":\"method\",\"id\":\"stuck\",\"method\":\"sleep\",\"params\":[20000]}");
		await().until(() -> server.runningMethodCount() == 1);
		long start = System.nanoTime();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(this.context::close, this.threads);
		assertThat(caller.awaitClose()).isEqualTo(1001);
		long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		assertThat(waitedMillis).isBetween(400L, 8000L);
		closing.orTimeout(30, TimeUnit.SECONDS).join();
	}

	@Test
	void newSocketsAreTurnedAwayWhileOpenSessionsAreStillServed() {
		URI uri = start("ddp.server.shutdown.await-methods=20s", "ddp.server.shutdown.close-period=0s");
		RawDdpClient caller = connect(uri);
		RawDdpClient other = connect(uri);
		DdpServer server = this.context.getBean(DdpServer.class);
		Rejections rejections = this.context.getBean(Rejections.class);
		caller.send("{\"msg\":\"method\",\"id\":\"slow\",\"method\":\"sleep\",\"params\":[5000]}");
		await().until(() -> server.runningMethodCount() == 1);
		long start = System.nanoTime();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(this.context::close, this.threads);
		await().until(() -> !server.isAccepting());
		// A session that is open keeps being served until it is closed.
		assertThat(other.call("e", "echo", "[\"still here\"]").path("result").get(0).asString())
			.isEqualTo("still here");
		CompletableFuture<RawDdpClient> late = CompletableFuture.supplyAsync(() -> RawDdpClient.open(uri),
				this.threads);
		// Turned away at once, while the slow call still runs.
		await().atMost(Duration.ofSeconds(3)).until(() -> rejections.shuttingDown.get() == 1);
		assertThat(server.runningMethodCount()).isEqualTo(1);
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4500);
		RawDdpClient turnedAway = late.orTimeout(30, TimeUnit.SECONDS).join();
		this.clients.add(turnedAway);
		assertThat(turnedAway.awaitClose()).isEqualTo(1001);
		caller.next((frame) -> "result".equals(frame.path("msg").asString()));
		closing.orTimeout(30, TimeUnit.SECONDS).join();
	}

	@Test
	void sessionsCloseSpreadOverTheClosePeriod() {
		URI uri = start("ddp.server.shutdown.await-methods=1s", "ddp.server.shutdown.close-period=2s");
		int count = 10;
		List<CompletableFuture<Long>> closedAt = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			RawDdpClient client = connect(uri);
			closedAt.add(CompletableFuture.supplyAsync(() -> {
				client.awaitClose();
				return System.nanoTime();
			}, this.threads));
		}
		long start = System.nanoTime();
		this.context.close();
		List<Long> times = closedAt.stream()
			.map((future) -> future.orTimeout(30, TimeUnit.SECONDS).join())
			.sorted()
			.toList();
		long spreadMillis = TimeUnit.NANOSECONDS.toMillis(times.get(count - 1) - times.get(0));
		long totalMillis = TimeUnit.NANOSECONDS.toMillis(times.get(count - 1) - start);
		// Ten sessions over 2 s: one every 200 ms, the last about 1.8 s after the first.
		assertThat(spreadMillis).isBetween(1400L, 4000L);
		assertThat(totalMillis).isLessThan(Duration.ofSeconds(8).toMillis());
		// Evenly spread: no two neighbours more than a second apart, no burst of all at
		// once.
		for (int i = 1; i < count; i++) {
			assertThat(TimeUnit.NANOSECONDS.toMillis(times.get(i) - times.get(i - 1))).isLessThan(1000L);
		}
		long firstHalf = times.stream().filter((t) -> t - times.get(0) < TimeUnit.MILLISECONDS.toNanos(900)).count();
		assertThat(firstHalf).isBetween(3L, 7L);
	}

	/**
	 * Counts sockets turned away because the server is shutting down.
	 */
	static class Rejections implements DdpServerObserver {

		final AtomicInteger shuttingDown = new AtomicInteger();

		@Override
		public void inputRejected(RejectedInput reason) {
			if (reason == RejectedInput.SHUTTING_DOWN) {
				this.shuttingDown.incrementAndGet();
			}
		}

	}

}
