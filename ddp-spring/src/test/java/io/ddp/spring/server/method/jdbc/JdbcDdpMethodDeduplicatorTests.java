package io.ddp.spring.server.method.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodCallContext;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.method.WriteFence;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.testing.TestClientConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JdbcDdpMethodDeduplicator} on a real PostgreSQL: two dispatchers with
 * their own deduplicators on one database stand for two instances.
 */
class JdbcDdpMethodDeduplicatorTests {

	private static final Ejson EJSON = Ejson.createDefault();

	private final AtomicInteger runs = new AtomicInteger();

	private final AtomicReference<CompletableFuture<Object>> pending = new AtomicReference<>();

	private DataSource dataSource;

	private MethodDispatcher a;

	private MethodDispatcher b;

	@BeforeEach
	void createInstances() {
		this.dataSource = PostgresServer.shared().createDatabase("dedup");
		this.a = instance(Duration.ofMinutes(2));
		this.b = instance(Duration.ofMinutes(2));
	}

	private MethodDispatcher instance(Duration retention) {
		JdbcDdpMethodDeduplicator deduplicator = new JdbcDdpMethodDeduplicator(this.dataSource, retention,
				Duration.ofSeconds(10));
		deduplicator.initializeSchema();
		DdpMethodRegistry registry = new DdpMethodRegistry();
		registry.register("count", (invocation, arguments) -> this.runs.incrementAndGet());
		registry.register("slow", (invocation, arguments) -> {
			this.runs.incrementAndGet();
			CompletableFuture<Object> result = new CompletableFuture<>();
			this.pending.set(result);
			return result;
		});
		registry.register("fail", (invocation, arguments) -> {
			this.runs.incrementAndGet();
			throw new DdpException(400, "No run " + this.runs.get());
		});
		registry.register("unflushed", (invocation, arguments) -> {
			// A store that commits, returns, and then fails to flush (the database went
			// away)
			WriteFence.Flush flush = WriteFence.current().beginFlush();
			CompletableFuture.runAsync(() -> flush.done(new IllegalStateException("connection lost")),
					CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
			return this.runs.incrementAndGet();
		});
		return new MethodDispatcher(registry, EJSON, List.of(), new DdpRateLimiter(), List.of(deduplicator));
	}

	@Test
	void aCallResentToAnotherInstanceGetsTheFirstResult() {
		assertThat(call(this.a, "ann", "1", "count", "[5]"))
			.isEqualTo("{\"msg\":\"result\",\"id\":\"1\",\"result\":1}");
		assertThat(call(this.b, "ann", "1", "count", "[5]"))
			.isEqualTo("{\"msg\":\"result\",\"id\":\"1\",\"result\":1}");
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void anErrorIsReplayedToo() {
		String first = call(this.a, "ann", "7", "fail", "[]");
		assertThat(first).contains("No run 1");
		assertThat(call(this.b, "ann", "7", "fail", "[]")).isEqualTo(first);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void aResendGetsTheErrorItsFirstRunAnsweredWhenTheFlushFailed() {
		String first = call(this.a, "ann", "3", "unflushed", "[]");
		assertThat(EJSON.mapper().readTree(first).path("error").path("error").asInt()).isEqualTo(500);
		// Not the stored result of the method, whose writes may not be on disk
		assertThat(call(this.b, "ann", "3", "unflushed", "[]")).isEqualTo(first);
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void otherUsersArgumentsIdsAndAnonymousCallsRunAgain() {
		call(this.a, "ann", "1", "count", "[5]");
		call(this.b, "bob", "1", "count", "[5]");
		call(this.b, "ann", "2", "count", "[5]");
		call(this.b, "ann", "1", "count", "[6]");
		call(this.a, null, "1", "count", "[5]");
		call(this.b, null, "1", "count", "[5]");
		assertThat(this.runs).hasValue(6);
	}

	@Test
	void aResendWaitsForTheFirstRunStillGoing() {
		AtomicReference<String> first = new AtomicReference<>();
		dispatch(this.a, "ann", "1", "slow", "[]", first::set);
		await().until(() -> this.pending.get() != null);
		CompletableFuture<String> resent = CompletableFuture.supplyAsync(() -> call(this.b, "ann", "1", "slow", "[]"));
		// the resend has seen the claimed row without a result and polls it
		await().during(Duration.ofMillis(200)).until(() -> !resent.isDone());
		this.pending.get().complete("done");
		await().until(resent::isDone);
		assertThat(resent.join()).isEqualTo(first.get())
			.isEqualTo("{\"msg\":\"result\",\"id\":\"1\",\"result\":\"done\"}");
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void aResultPastItsRetentionIsForgotten() {
		MethodDispatcher shortLived = instance(Duration.ofMillis(300));
		call(shortLived, "ann", "1", "count", "[5]");
		JdbcClient.create(this.dataSource)
			.sql("UPDATE ddp_method_results SET created_at = created_at - interval '1 second'")
			.update();
		assertThat(call(shortLived, "ann", "1", "count", "[5]")).contains("\"result\":2");
	}

	private String call(MethodDispatcher dispatcher, @Nullable String userId, String id, String method, String params) {
		AtomicReference<String> frame = new AtomicReference<>();
		dispatch(dispatcher, userId, id, method, params, frame::set);
		await().until(() -> frame.get() != null);
		return frame.get();
	}

	private void dispatch(MethodDispatcher dispatcher, @Nullable String userId, String id, String method, String params,
			Consumer<String> frames) {
		dispatcher.dispatch(new Context(userId), id, method, (ArrayNode) EJSON.mapper().readTree(params), null, () -> {
		}, (result, fence) -> frames.accept(result));
	}

	private record Context(@Nullable String userId) implements MethodCallContext {

		@Override
		public ClientConnection connection() {
			return new TestClientConnection();
		}

		@Override
		public void setUserId(@Nullable String userId) {
		}

	}

}
