package io.ddp.spring.server.publication;

/**
 * Publishes documents of one collection into one subscription as shared
 * {@link DocumentSnapshot}s: what a {@link PublishableCursor} publishes through. A
 * publisher that serves many sessions makes one snapshot per document version and hands
 * the same instance, with the same id string, to every session's publisher; the session's
 * {@link MergeBox} keeps them by reference.
 * <p>
 * Thread-safe. Each call takes the monitor of the subscription's session only, and is a
 * no-op once the subscription is no longer active.
 *
 * @since 0.1.0
 */
public interface CollectionPublisher {

	/**
	 * Return the subscription published into.
	 * @return the subscription
	 */
	ServerSubscription subscription();

	/**
	 * Return the collection published into.
	 * @return the collection name
	 */
	String collectionName();

	/**
	 * Publish a document.
	 * @param id the document id as it goes on the wire (escaped with
	 * {@link io.ddp.spring.protocol.DocumentIds#stringify(Object)})
	 * @param fields the document's fields
	 */
	void added(String id, DocumentSnapshot fields);

	/**
	 * Publish a new version of a document added before; the merge box sends what changed.
	 * @param id the document id as it goes on the wire
	 * @param fields the new version of the document's fields
	 */
	void changed(String id, DocumentSnapshot fields);

	/**
	 * Withdraw a document added before.
	 * @param id the document id as it goes on the wire
	 */
	void removed(String id);

}
