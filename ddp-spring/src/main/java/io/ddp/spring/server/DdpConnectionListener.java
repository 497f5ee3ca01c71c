package io.ddp.spring.server;

/**
 * Callback for every client that completes the DDP handshake (Meteor's
 * {@code Meteor.onConnection}). Declare beans of this type, or listen for
 * {@link DdpConnectionEvent}s.
 *
 * <p>
 * Runs on the application task executor after {@code connected} was sent.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpConnectionListener {

	/**
	 * Called once a client has connected.
	 * @param connection the new connection
	 */
	void onConnection(ClientConnection connection);

}
