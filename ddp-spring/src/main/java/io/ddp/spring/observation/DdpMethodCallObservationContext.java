package io.ddp.spring.observation;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * Context of the observation of one DDP method call a server runs.
 *
 * @since 0.1.0
 */
public class DdpMethodCallObservationContext extends DdpOperationContext {

	private final String methodName;

	private final boolean registered;

	private final @Nullable ClientConnection connection;

	/**
	 * Create a context.
	 * @param methodName the method name as the client sent it
	 * @param registered whether the server has a method of that name
	 * @param connection the calling session, {@code null} for a call made on the server
	 */
	public DdpMethodCallObservationContext(String methodName, boolean registered,
			@Nullable ClientConnection connection) {
		this.methodName = methodName;
		this.registered = registered;
		this.connection = connection;
	}

	/**
	 * Return the method name as the client sent it: client input, tag it only when
	 * {@link #isRegistered()}.
	 * @return the name
	 */
	public String getMethodName() {
		return this.methodName;
	}

	/**
	 * Whether the server has a method of this name.
	 * @return whether the method is registered
	 */
	public boolean isRegistered() {
		return this.registered;
	}

	/**
	 * Return the calling session.
	 * @return the connection, {@code null} for a call made on the server
	 */
	public @Nullable ClientConnection getConnection() {
		return this.connection;
	}

}
