package io.ddp.spring.accounts;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a connection called {@code logout} (Meteor's {@code Accounts.onLogout}),
 * before its user is cleared.
 *
 * @since 0.1.0
 */
public class DdpLogoutEvent extends ApplicationEvent {

	private final @Nullable String userId;

	private final transient ClientConnection connection;

	/**
	 * Create an event.
	 * @param source the accounts service
	 * @param userId the user logged out, or {@code null} if the connection was anonymous
	 * @param connection the connection
	 */
	public DdpLogoutEvent(Object source, @Nullable String userId, ClientConnection connection) {
		super(source);
		this.userId = userId;
		this.connection = connection;
	}

	/**
	 * Return the user logged out.
	 * @return the user id, or {@code null} if the connection was anonymous
	 */
	public @Nullable String getUserId() {
		return this.userId;
	}

	/**
	 * Return the connection that logged out.
	 * @return the connection
	 */
	public ClientConnection getConnection() {
		return this.connection;
	}

}
