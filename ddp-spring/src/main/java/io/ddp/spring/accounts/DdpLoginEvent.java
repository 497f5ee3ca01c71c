package io.ddp.spring.accounts;

import io.ddp.spring.server.ClientConnection;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a connection logged in (Meteor's {@code Accounts.onLogin}), after the
 * connection's user changed and before the client gets the result.
 *
 * @since 0.1.0
 */
public class DdpLoginEvent extends ApplicationEvent {

	private final String userId;

	private final String type;

	private final transient ClientConnection connection;

	/**
	 * Create an event.
	 * @param source the accounts service
	 * @param userId the user now logged in
	 * @param type the login type, e.g. {@code password}
	 * @param connection the connection
	 */
	public DdpLoginEvent(Object source, String userId, String type, ClientConnection connection) {
		super(source);
		this.userId = userId;
		this.type = type;
		this.connection = connection;
	}

	/**
	 * Return the user now logged in.
	 * @return the user id
	 */
	public String getUserId() {
		return this.userId;
	}

	/**
	 * Return the login type.
	 * @return the type, e.g. {@code password} or {@code resume}
	 */
	public String getType() {
		return this.type;
	}

	/**
	 * Return the connection that logged in.
	 * @return the connection
	 */
	public ClientConnection getConnection() {
		return this.connection;
	}

}
