package io.ddp.spring.server.method;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.testing.TestClientConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MethodDispatcher} with {@link DdpMethodInterceptor}s when a method's
 * writes fail to flush after it returned: the interceptors hear of the error before the
 * client gets it, and an interceptor that never finishes does not hold the client's
 * answer for long.
 */
class MethodDispatcherInterceptorTests {

	private static final Ejson EJSON = Ejson.createDefault();

	private final List<String> heard = new CopyOnWriteArrayList<>();

	@Test
	void theInterceptorsHearOfTheErrorBeforeTheClientGetsIt() {
		CompletableFuture<Object> recorded = new CompletableFuture<>();
		MethodDispatcher dispatcher = dispatcher(recorded);
		AtomicReference<String> answer = new AtomicReference<>();
		dispatch(dispatcher, "unflushed", answer);
		await().until(() -> this.heard.size() == 2);
		assertThat(this.heard.get(0)).isEqualTo("after {\"msg\":\"result\",\"id\":\"1\",\"result\":\"written\"}");
		assertThat(this.heard.get(1)).startsWith("replaced {\"msg\":\"result\",\"id\":\"1\",\"error\":{")
			.contains("\"error\":500");
		// The client's answer waits for the interceptor
		await().during(Duration.ofMillis(200)).until(() -> answer.get() == null);
		recorded.complete("stored");
		await().until(() -> answer.get() != null);
		assertThat(answer.get()).isEqualTo(this.heard.get(1).substring("replaced ".length()));
	}

	@Test
	void anInterceptorThatNeverFinishesHoldsTheErrorForFiveSecondsAtMost() {
		CompletableFuture<Object> never = new CompletableFuture<>();
		MethodDispatcher dispatcher = dispatcher(never);
		AtomicReference<String> answer = new AtomicReference<>();
		long start = System.nanoTime();
		dispatch(dispatcher, "unflushed", answer);
		await().atMost(Duration.ofSeconds(15)).until(() -> answer.get() != null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
		assertThat(answer.get()).contains("\"error\":500");
		// The interceptor's own future was left alone
		assertThat(never).isNotDone();
	}

	@Test
	void aFlushedResultIsNotReplaced() {
		MethodDispatcher dispatcher = dispatcher(new CompletableFuture<>());
		AtomicReference<String> answer = new AtomicReference<>();
		dispatch(dispatcher, "flushed", answer);
		await().until(() -> answer.get() != null);
		assertThat(answer.get()).isEqualTo("{\"msg\":\"result\",\"id\":\"1\",\"result\":\"written\"}");
		assertThat(this.heard).containsExactly("after " + answer.get());
	}

	private MethodDispatcher dispatcher(CompletableFuture<Object> replacement) {
		DdpMethodRegistry registry = new DdpMethodRegistry();
		registry.register("unflushed", (invocation, arguments) -> flushLater(new IllegalStateException("disk gone")));
		registry.register("flushed", (invocation, arguments) -> flushLater(null));
		DdpMethodInterceptor interceptor = new DdpMethodInterceptor() {

			@Override
			public @Nullable String beforeCall(MethodCallContext context, DdpMethodCall call) {
				return null;
			}

			@Override
			public void afterCall(MethodCallContext context, DdpMethodCall call, String resultFrame) {
				MethodDispatcherInterceptorTests.this.heard.add("after " + resultFrame);
			}

			@Override
			public CompletionStage<?> resultReplaced(MethodCallContext context, DdpMethodCall call,
					String resultFrame) {
				MethodDispatcherInterceptorTests.this.heard.add("replaced " + resultFrame);
				return replacement;
			}

		};
		return new MethodDispatcher(registry, EJSON, List.of(), new DdpRateLimiter(), List.of(interceptor));
	}

	// A store that commits, returns, and flushes on another thread
	private static String flushLater(@Nullable Throwable failure) {
		WriteFence fence = WriteFence.current();
		assertThat(fence).isNotNull();
		WriteFence.Flush flush = fence.beginFlush();
		assertThat(flush).isNotNull();
		CompletableFuture.runAsync(() -> flush.done(failure),
				CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		return "written";
	}

	private void dispatch(MethodDispatcher dispatcher, String method, AtomicReference<String> answer) {
		dispatcher.dispatch(new Connected(), "1", method, (ArrayNode) EJSON.mapper().readTree("[]"), null, () -> {
		}, (result, fence) -> answer.set(result));
	}

	private static final class Connected implements MethodCallContext {

		private final ClientConnection connection = new TestClientConnection();

		@Override
		public ClientConnection connection() {
			return this.connection;
		}

		@Override
		public @Nullable String userId() {
			return "ann";
		}

		@Override
		public void setUserId(@Nullable String userId) {
		}

	}

}
