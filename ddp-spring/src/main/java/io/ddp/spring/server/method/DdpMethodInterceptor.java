package io.ddp.spring.server.method;

import org.jspecify.annotations.Nullable;

/**
 * Sees the calls of DDP clients around the method: may answer one without running it, and
 * is told of every {@code result} frame. Asked after the method is found and its rate
 * limits passed, on the thread that dispatches the call. Declare beans of this type to
 * have them used, in order.
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

}
