package io.ddp.spring.server.method;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * What a method call needs from the session that received it.
 *
 * @since 0.1.0
 */
public interface MethodCallContext {

	/**
	 * Return the session's connection handle.
	 * @return the connection, {@code null} for server-initiated calls
	 */
	@Nullable ClientConnection connection();

	/**
	 * Return the session's current user id.
	 * @return the user id or {@code null}
	 */
	@Nullable String userId();

	/**
	 * Change the session's user, rerunning its subscriptions.
	 * @param userId the new user id or {@code null}
	 */
	void setUserId(@Nullable String userId);

}
