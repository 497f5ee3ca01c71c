package io.ddp.spring.client;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * One outstanding method call (Meteor's {@code MethodInvoker}): its frame, its options
 * and its progress. It finishes when both its {@code result} arrived and its data is
 * visible ({@code updated}), in either order. State is guarded by the connection's lock.
 *
 * @since 0.1.0
 */
final class MethodInvoker implements Runnable {

	final String id;

	final String method;

	final String frame;

	final boolean wait;

	final boolean noRetry;

	final @Nullable BiConsumer<@Nullable Object, @Nullable DdpException> onResultReceived;

	private final JavaType resultType;

	private final boolean plain;

	final CompletableFuture<@Nullable Object> future;

	/** Complete the future on the I/O thread: only a blocked caller waits for it. */
	final boolean completeDirectly;

	final long deadlineNanos;

	boolean sent;

	boolean gotResult;

	boolean dataVisible;

	boolean finished;

	// Told when the call finishes; set by the connection before the call is queued
	DdpCallObserver.Call observation = DdpCallObserver.Call.NONE;

	@Nullable Object value;

	@Nullable Throwable failure;

	MethodInvoker(String id, String method, String frame, CallOptions options, JavaType resultType, boolean plain,
			boolean completeDirectly, long deadlineNanos) {
		this.id = id;
		this.method = method;
		this.frame = frame;
		this.wait = options.waitForOthers();
		this.noRetry = options.noRetry();
		this.onResultReceived = options.onResultReceived();
		this.resultType = resultType;
		this.plain = plain;
		this.completeDirectly = completeDirectly;
		this.deadlineNanos = deadlineNanos;
		this.future = new CompletableFuture<>();
	}

	JavaType resultType() {
		return this.resultType;
	}

	/**
	 * Whether the caller wants plain EJSON values ({@code Object}).
	 * @return whether plain
	 */
	boolean isPlain() {
		return this.plain;
	}

	/**
	 * Whether the plain value is needed besides the typed one (for the result callback).
	 * @return whether needed
	 */
	boolean wantsPlainResult() {
		return this.onResultReceived != null;
	}

	/**
	 * Record the result (value or failure).
	 * @param value the value
	 * @param failure the failure, or {@code null}
	 */
	void receiveResult(@Nullable Object value, @Nullable Throwable failure) {
		this.gotResult = true;
		this.value = value;
		this.failure = failure;
	}

	/**
	 * Complete the future with the recorded result; the callback thread runs this for
	 * calls that are not completed on the I/O thread.
	 */
	@Override
	public void run() {
		MethodCalls.completeNow(this.future, this.value, this.failure);
	}

	boolean isComplete() {
		return this.gotResult && this.dataVisible;
	}

	@Override
	public String toString() {
		return "method '" + this.method + "' (id " + this.id + ")";
	}

}
