package io.ddp.spring.server.method;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * Sees the calls of DDP clients around the method: may answer one without running it, and
 * is told of every {@code result} frame (and of the error that replaces one when the
 * call's writes fail to flush). Asked after the method is found and its rate limits
 * passed, on the thread that dispatches the call. Declare beans of this type to have them
 * used, in order.
 *
 * <p>
 * Used for the deduplication of methods a client resends after reconnecting to another
 * instance (see {@code io.ddp.spring.server.method.jdbc}).
 *
 * @since 0.1.0
 */
public interface DdpMethodInterceptor {

	/**
	 * Called before the method runs.
	 * @param context the calling session
	 * @param call the call
	 * @return a complete {@code result} frame to answer with instead of running the
	 * method, or {@code null} to run it
	 */
	@Nullable String beforeCall(MethodCallContext context, DdpMethodCall call);

	/**
	 * Called with the {@code result} frame of a call that ran, before it is sent.
	 * @param context the calling session
	 * @param call the call
	 * @param resultFrame the {@code result} frame, value or error
	 */
	void afterCall(MethodCallContext context, DdpMethodCall call, String resultFrame);

	/**
	 * Called when the client is not sent the result {@link #afterCall} had: the writes
	 * the method committed failed to flush after it returned, so whether they are on disk
	 * is unknown, and the client gets {@code resultFrame} (the usual 500 error) instead.
	 * The client's result waits for the returned stage, at most 5 seconds. Runs on the
	 * thread that flushed the writes, which serves other calls: hand blocking work to
	 * another thread.
	 * @param context the calling session
	 * @param call the call
	 * @param resultFrame the {@code result} frame the client gets
	 * @return a stage that completes once the interceptor is done with it; the default
	 * does nothing
	 */
	default CompletionStage<?> resultReplaced(MethodCallContext context, DdpMethodCall call, String resultFrame) {
		return CompletableFuture.completedFuture(Boolean.TRUE);
	}

}
