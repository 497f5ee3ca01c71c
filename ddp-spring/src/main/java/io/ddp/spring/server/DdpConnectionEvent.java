package io.ddp.spring.server;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a DDP client connects ({@link Opened}) and when its connection closes
 * ({@link Closed}).
 *
 * @since 0.1.0
 */
public abstract sealed class DdpConnectionEvent extends ApplicationEvent {

	private DdpConnectionEvent(ClientConnection connection) {
		super(connection);
	}

	/**
	 * Return the connection the event is about.
	 * @return the connection
	 */
	public ClientConnection getConnection() {
		return (ClientConnection) getSource();
	}

	/**
	 * A client completed the DDP handshake.
	 */
	public static final class Opened extends DdpConnectionEvent {

		public Opened(ClientConnection connection) {
			super(connection);
		}

	}

	/**
	 * A client's connection closed.
	 */
	public static final class Closed extends DdpConnectionEvent {

		public Closed(ClientConnection connection) {
			super(connection);
		}

	}

}
