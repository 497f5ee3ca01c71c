package io.ddp.spring.observation;

import io.ddp.spring.server.ClientConnection;

/**
 * Context of the observation of one DDP subscription, from {@code sub} until it is ready,
 * fails or stops.
 *
 * @since 0.1.0
 */
public class DdpSubscriptionObservationContext extends DdpOperationContext {

	private final String publicationName;

	private final boolean registered;

	private final ClientConnection connection;

	/**
	 * Create a context.
	 * @param publicationName the publication name as the client sent it
	 * @param registered whether the server has a publication of that name
	 * @param connection the subscribing session
	 */
	public DdpSubscriptionObservationContext(String publicationName, boolean registered, ClientConnection connection) {
		this.publicationName = publicationName;
		this.registered = registered;
		this.connection = connection;
	}

	/**
	 * Return the publication name as the client sent it: client input, tag it only when
	 * {@link #isRegistered()}.
	 * @return the name
	 */
	public String getPublicationName() {
		return this.publicationName;
	}

	/**
	 * Whether the server has a publication of this name.
	 * @return whether the publication is registered
	 */
	public boolean isRegistered() {
		return this.registered;
	}

	/**
	 * Return the subscribing session.
	 * @return the connection
	 */
	public ClientConnection getConnection() {
		return this.connection;
	}

}
