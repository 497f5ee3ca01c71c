package io.ddp.spring.server.publication;

import java.util.Objects;

/**
 * Identity of one running subscription inside a session's {@link MergeBox}: the merge box
 * records which handles publish each document and each field. Handles compare by
 * identity, so a subscription re-created after a user change gets a new handle even
 * though it keeps its id.
 *
 * @since 0.1.0
 */
public final class SubscriptionHandle {

	private final String id;

	private final Kind kind;

	private SubscriptionHandle(String id, Kind kind) {
		this.id = Objects.requireNonNull(id, "'id' must not be null");
		this.kind = kind;
	}

	/**
	 * Create a handle for a named subscription, started by a client's {@code sub}.
	 * @param subscriptionId the id the client chose
	 * @return a new handle
	 */
	public static SubscriptionHandle named(String subscriptionId) {
		return new SubscriptionHandle(subscriptionId, Kind.NAMED);
	}

	/**
	 * Create a handle for a universal (unnamed) subscription, started for every session.
	 * @param id a random id that is unique within the session
	 * @return a new handle
	 */
	public static SubscriptionHandle universal(String id) {
		return new SubscriptionHandle(id, Kind.UNIVERSAL);
	}

	/**
	 * Return the subscription id for a named subscription, or the random id of a
	 * universal one.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return whether the subscription is named or universal.
	 * @return the kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * Meteor's spelling of the handle: {@code N} or {@code U} followed by the id.
	 */
	@Override
	public String toString() {
		return ((this.kind == Kind.NAMED) ? "N" : "U") + this.id;
	}

	/**
	 * The kinds of subscriptions.
	 */
	public enum Kind {

		/**
		 * Started by a client's {@code sub} message; has a client-chosen id.
		 */
		NAMED,

		/**
		 * Started by the server for every session; cannot be unsubscribed.
		 */
		UNIVERSAL

	}

}
