package io.ddp.spring.accounts;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a login failed (Meteor's {@code Accounts.onLoginFailure}), with the
 * error the client gets.
 *
 * @since 0.1.0
 */
public class DdpLoginFailureEvent extends ApplicationEvent {

	private final @Nullable String userId;

	private final @Nullable String type;

	private final transient ClientConnection connection;

	private final DdpException error;

	/**
	 * Create an event.
	 * @param source the accounts service
	 * @param userId the user the attempt was for, when known
	 * @param type the login type, or {@code null} when no handler recognised the request
	 * @param connection the connection
	 * @param error the error sent to the client
	 */
	public DdpLoginFailureEvent(Object source, @Nullable String userId, @Nullable String type,
			ClientConnection connection, DdpException error) {
		super(source);
		this.userId = userId;
		this.type = type;
		this.connection = connection;
		this.error = error;
	}

	/**
	 * Return the user the attempt was for.
	 * @return the user id, or {@code null} when unknown
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	/**
	 * Return the login type.
	 * @return the type, or {@code null} when no handler recognised the request
	 */
	public @Nullable String getType() {
		return this.type;
	}

	/**
	 * Return the connection that tried to log in.
	 * @return the connection
	 */
	public ClientConnection getConnection() {
		return this.connection;
	}

	/**
	 * Return the error the client gets.
	 * @return the error
	 */
	public DdpException getError() {
		return this.error;
	}

}
