package io.ddp.spring.server.publication;

/**
 * How a session's {@link MergeBox} handles the documents of one collection, chosen per
 * collection name as Meteor's {@code DDPServer.publicationStrategies} are: a trade-off
 * between server memory and what the client receives.
 *
 * @since 0.1.0
 */
public enum PublicationStrategy {

	/**
	 * The default: the session keeps every field each subscription publishes, merges
	 * documents published by several subscriptions (the first publisher of a field wins)
	 * and sends only real changes. {@code _id} inside fields is ignored.
	 */
	SERVER_MERGE(true, true),

	/**
	 * Every publisher call is forwarded as it is: {@code added} may repeat for the same
	 * id, {@code _id} inside fields is sent, and nothing is sent when a subscription
	 * stops. For send-and-forget data such as message queues.
	 */
	NO_MERGE_NO_HISTORY(false, false),

	/**
	 * Calls are forwarded as they are, but each subscription remembers the ids it added
	 * and sends {@code removed} for each of them when it stops, even if another
	 * subscription still publishes the document. For collections that a single
	 * publication serves.
	 */
	NO_MERGE(false, true),

	/**
	 * The session records which subscriptions publish each document, so {@code removed}
	 * is sent only when the last of them removes it, but keeps no field values: every
	 * {@code added} and {@code changed} field is forwarded without comparing, an
	 * {@code added} for a document the client already has is sent as {@code changed}, and
	 * a subscription that leaves a document still published by another sends nothing.
	 * During a user change the re-run keeps values until the difference is sent, so
	 * documents that appear are announced with their fields, not with the empty
	 * {@code added} Meteor sends (see {@link MergeBox#completeUserChange(MergeBox)}).
	 */
	NO_MERGE_MULTI(true, true);

	private final boolean usesCollectionView;

	private final boolean tracksDocuments;

	PublicationStrategy(boolean usesCollectionView, boolean tracksDocuments) {
		this.usesCollectionView = usesCollectionView;
		this.tracksDocuments = tracksDocuments;
	}

	/**
	 * Return whether the session keeps a view of the collection's documents (Meteor's
	 * {@code useCollectionView}); such data is held back and diffed during a user change.
	 * @return whether a collection view is kept
	 */
	public boolean usesCollectionView() {
		return this.usesCollectionView;
	}

	/**
	 * Return whether each subscription's documents are known, so that stopping it removes
	 * them (Meteor's {@code doAccountingForCollection}).
	 * @return whether documents are tracked per subscription
	 */
	public boolean tracksDocuments() {
		return this.tracksDocuments;
	}

	/**
	 * Return whether field values are kept and merged ({@link #SERVER_MERGE} only).
	 * @return whether fields are merged
	 */
	public boolean mergesFields() {
		return this == SERVER_MERGE;
	}

}
