package io.ddp.spring.server.publication;

/**
 * A value a publication may return instead of publishing by hand, Meteor's cursor with
 * its {@code _publishCursor}: the subscription publishes it, then sends {@code ready}. A
 * publication may also return a {@link java.util.Collection} or an array of them, on
 * distinct collections (ddp-protocol.md 4.2).
 *
 * @since 0.1.0
 */
public interface PublishableCursor {

	/**
	 * Return the name of the collection the cursor's documents belong to.
	 * @return the collection name
	 */
	String collectionName();

	/**
	 * Publish the cursor's documents: send the initial ones through the publisher before
	 * returning, then keep the client in step with later changes until the publisher's
	 * subscription stops (see {@link ServerSubscription#onStop(Runnable)}).
	 * @param publisher publishes into one subscription, for this cursor's collection
	 */
	void publish(CollectionPublisher publisher);

}
