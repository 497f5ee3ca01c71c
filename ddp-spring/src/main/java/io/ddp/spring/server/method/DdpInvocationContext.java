package io.ddp.spring.server.method;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * One call of a handler method, as a {@link DdpArgumentResolver} sees it: a DDP method
 * call or a subscription starting a publication.
 *
 * @since 0.1.0
 */
public interface DdpInvocationContext {

	/**
	 * Return the call's positional arguments ({@code params}) as sent.
	 * @return the arguments
	 */
	MethodArguments arguments();

	/**
	 * Return what the handler runs for: the {@link DdpMethodInvocation} of a method call,
	 * or the {@link io.ddp.spring.server.publication.ServerSubscription} of a
	 * publication.
	 * @return the invocation or subscription
	 */
	Object source();

	/**
	 * Return the {@link #source()} if it is of the given type.
	 * @param <T> the type
	 * @param type the type, e.g. {@code DdpMethodInvocation.class}
	 * @return the source, or {@code null} if it is of another type
	 */
	default <T> @Nullable T source(Class<T> type) {
		Object source = source();
		return type.isInstance(source) ? type.cast(source) : null;
	}

	/**
	 * Return the calling client's connection.
	 * @return the connection, {@code null} for a server-initiated method call
	 */
	@Nullable ClientConnection connection();

	/**
	 * Return the user id the call runs for.
	 * @return the user id or {@code null}
	 */
	@Nullable String userId();

}
