package io.ddp.spring.client;

/**
 * The states of a {@link DdpConnection}, named as Meteor's
 * {@code Meteor.status().status}.
 *
 * @since 0.1.0
 */
public enum ConnectionState {

	/** A transport is being opened (the initial state, and during every retry). */
	CONNECTING,

	/** The transport is open and the DDP handshake completed. */
	CONNECTED,

	/**
	 * Permanently down: version negotiation failed, {@code close()}, or retries
	 * exhausted.
	 */
	FAILED,

	/**
	 * The link was lost and a retry is scheduled at
	 * {@link DdpConnectionStatus#retryTime()}.
	 */
	WAITING,

	/** {@code disconnect()} was called: no automatic retry until {@code reconnect()}. */
	OFFLINE;

	/**
	 * Return the lower-case name Meteor uses on the wire and in {@code Meteor.status()}.
	 * @return the Meteor name
	 */
	public String meteorName() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
