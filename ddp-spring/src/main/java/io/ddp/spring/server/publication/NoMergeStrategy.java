package io.ddp.spring.server.publication;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@link PublicationStrategy#NO_MERGE}: calls are forwarded as with
 * {@link NoMergeNoHistoryStrategy}, and the merge box records the ids each subscription
 * added (Meteor's accounting), to send {@code removed} for each of them when the
 * subscription stops ({@link MergeBox#removeSubscription}).
 */
final class NoMergeStrategy extends NoMergeNoHistoryStrategy {

	static final NoMergeStrategy INSTANCE = new NoMergeStrategy();

	private NoMergeStrategy() {
	}

	@Override
	void added(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields) {
		box.recordNoMergeDocument(sub, collection, id);
		super.added(box, collection, sub, id, fields);
	}

	@Override
	void addedShared(MergeBox box, String collection, SubscriptionHandle sub, String id, DocumentSnapshot fields) {
		box.recordNoMergeDocument(sub, collection, id);
		super.addedShared(box, collection, sub, id, fields);
	}

	@Override
	void removed(MergeBox box, String collection, SubscriptionHandle sub, String id) {
		box.forgetNoMergeDocument(sub, collection, id);
		super.removed(box, collection, sub, id);
	}

}
