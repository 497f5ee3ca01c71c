package io.ddp.spring.client;

import java.time.Duration;
import java.util.List;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JavaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MethodCalls} over a {@link ScriptedTransport.Link}: blocks, finishing
 * on result and {@code updated} in either order, resending after a dropped link, and
 * timeouts. The test thread stands in for the threads holding the connection's lock.
 */
class MethodCallsTests {

	private final Ejson ejson = Ejson.createDefault();

	private final ClientFrames frames = new ClientFrames(this.ejson);

	private final CallbackRunner callbacks = new CallbackRunner("calls-test");

	private final MethodCalls calls = new MethodCalls("test", this.frames, this.callbacks, new Quiescence(),
			Duration.ofSeconds(30));

	private final JavaType objectType = this.ejson.mapper().getTypeFactory().constructType(Object.class);

	private final ScriptedTransport.Link link = ScriptedTransport.Link.detached();

	@AfterEach
	void stopCallbacks() {
		this.callbacks.shutdown(1000);
	}

	@Test
	void waitCallHoldsBackLaterCallsUntilItFinishes() {
		MethodInvoker login = call("login", CallOptions.defaults().withWait(true));
		MethodInvoker next = call("next", CallOptions.defaults());
		this.calls.addLocked(login, this.link);
		this.calls.addLocked(next, this.link);
		assertThat(this.link.flushed().sent()).containsExactly(login.frame);
		this.calls.resultLocked(parse("{\"msg\":\"result\",\"id\":\"" + login.id + "\",\"result\":1}"), this.link);
		assertThat(this.link.flushed().sent()).containsExactly(login.frame);
		this.calls.updatedLocked(List.of(login.id), this.link);
		assertThat(this.link.flushed().sent()).containsExactly(login.frame, next.frame);
		assertThat(login.future).isCompletedWithValue(1);
	}

	@Test
	void updatedBeforeTheResultFinishesTheCallOnTheResult() {
		MethodInvoker echo = call("echo", CallOptions.defaults());
		this.calls.addLocked(echo, this.link);
		this.calls.updatedLocked(List.of(echo.id), this.link);
		assertThat(echo.future).isNotDone();
		this.calls.resultLocked(parse(
				"{\"msg\":\"result\",\"id\":\"" + echo.id + "\",\"error\":{\"error\":403,\"reason\":\"Denied\"}}"),
				this.link);
		assertThat(echo.future).isCompletedExceptionally();
		assertThat(this.calls.activeCount()).isZero();
	}

	@Test
	void droppedLinkFailsNoRetryCallsAndResendsTheOthersAfterTheReset() {
		MethodInvoker retried = call("retried", CallOptions.defaults());
		MethodInvoker notRetried = call("once", CallOptions.defaults().withNoRetry(true));
		this.calls.addLocked(retried, this.link);
		this.calls.addLocked(notRetried, this.link);
		this.calls.linkDroppedLocked(false);
		assertThat(notRetried.future).isCompletedExceptionally();
		assertThat(retried.sent).isFalse();
		ScriptedTransport.Link next = ScriptedTransport.Link.detached();
		this.calls.restoreLocked(this.calls.beginResetLocked(), next);
		assertThat(next.flushed().sent()).containsExactly(retried.frame);
	}

	@Test
	void callsPastTheirDeadlineFailAndTheNextBlockGoesOut() {
		MethodInvoker slow = call("slow", CallOptions.defaults().withWait(true).withTimeout(Duration.ofMillis(1)));
		MethodInvoker next = call("next", CallOptions.defaults());
		this.calls.addLocked(slow, this.link);
		this.calls.addLocked(next, this.link);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			this.calls.expireLocked(System.nanoTime(), this.link);
			assertThat(slow.future).isDone();
		});
		DdpException timeout = (DdpException) slow.future.handle((value, ex) -> ex).join();
		assertThat(timeout.getError()).isEqualTo("timeout");
		assertThat(this.link.flushed().sent()).containsExactly(slow.frame, next.frame);
	}

	@Test
	void blockedCallerFinishedByAFrameIsWokenOnlyAfterTheFrameIsDispatched() {
		MethodInvoker echo = call("echo", CallOptions.defaults());
		MethodInvoker other = call("other", CallOptions.defaults());
		this.calls.addLocked(echo, this.link);
		this.calls.addLocked(other, this.link);
		this.calls.resultLocked(parse("{\"msg\":\"result\",\"id\":\"" + echo.id + "\",\"result\":7}"), this.link);
		this.calls.resultLocked(parse("{\"msg\":\"result\",\"id\":\"" + other.id + "\",\"result\":8}"), this.link);
		this.calls.frameStartedLocked();
		this.calls.updatedLocked(List.of(echo.id, other.id), this.link);
		// finished, but the caller is not woken while the I/O thread holds the lock
		assertThat(this.calls.activeCount()).isZero();
		assertThat(echo.future).isNotDone();
		List<MethodInvoker> finished = this.calls.frameDispatchedLocked();
		assertThat(finished).containsExactly(echo, other);
		MethodCalls.wake(finished);
		assertThat(echo.future).isCompletedWithValue(7);
		assertThat(other.future).isCompletedWithValue(8);
		// outside a frame's dispatch (timer, reset) a call is completed at once
		MethodInvoker late = call("late", CallOptions.defaults().withTimeout(Duration.ofMillis(1)));
		this.calls.addLocked(late, this.link);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			this.calls.expireLocked(System.nanoTime(), this.link);
			assertThat(late.future).isCompletedExceptionally();
		});
		assertThat(this.calls.frameDispatchedLocked()).isNull();
	}

	private MethodInvoker call(String method, CallOptions options, Object... args) {
		// direct: the future completes on the thread that finishes the call (this one)
		return this.calls.create(method, List.of(args), options, this.objectType, null, true);
	}

	private IncomingMessage parse(String frame) {
		return this.frames.parse(frame, this.calls.lookup);
	}

}
