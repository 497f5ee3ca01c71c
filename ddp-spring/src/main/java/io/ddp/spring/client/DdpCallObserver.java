package io.ddp.spring.client;

import org.jspecify.annotations.Nullable;

/**
 * Told about every method call a {@link DefaultDdpConnection} makes, for metrics and
 * tracing ({@code ddp.client.calls} observations implement it). Called on the calling
 * thread when a call starts, and on the connection's I/O or callback thread when it
 * finishes, before the caller sees the result; implementations must be quick and must not
 * block.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpCallObserver {

	/** Observes nothing. */
	DdpCallObserver NONE = (connection, method) -> Call.NONE;

	/**
	 * A call starts.
	 * @param connection the connection's name
	 * @param method the method name
	 * @return told when the call finishes
	 */
	Call callStarted(String connection, String method);

	/**
	 * One observed call.
	 */
	@FunctionalInterface
	interface Call {

		/** A call nobody observes. */
		Call NONE = (failure) -> {
		};

		/**
		 * The call finished: its result and data arrived, or it failed.
		 * @param failure the error ({@code io.ddp.spring.protocol.DdpException} for
		 * server and local DDP errors), or {@code null} on success
		 */
		void finished(@Nullable Throwable failure);

	}

}
