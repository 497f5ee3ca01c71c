package io.ddp.spring.server.publication;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@link PublicationStrategy#NO_MERGE_NO_HISTORY}: every call is forwarded to the client
 * at once, as it is (but for {@link MergeBox#UNDEFINED} fields left out of
 * {@code added}), even during a user change; the merge box keeps nothing.
 */
sealed class NoMergeNoHistoryStrategy extends MergeStrategy permits NoMergeStrategy {

	static final NoMergeNoHistoryStrategy INSTANCE = new NoMergeNoHistoryStrategy();

	NoMergeNoHistoryStrategy() {
	}

	@Override
	void added(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields) {
		box.forwardAdded(collection, id, MergeBox.withoutUndefined(fields));
	}

	@Override
	void addedShared(MergeBox box, String collection, SubscriptionHandle sub, String id, DocumentSnapshot fields) {
		box.forwardAdded(collection, id, MergeBox.withoutUndefined(FieldMaps.nullable(fields.asMap())));
	}

	@Override
	void changed(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields) {
		box.forwardChanged(collection, id, fields);
	}

	@Override
	void changedShared(MergeBox box, String collection, SubscriptionHandle sub, String id,
			@Nullable DocumentSnapshot previous, DocumentSnapshot fields) {
		box.forwardChanged(collection, id, FieldMaps.nullable(delta(previous, fields)));
	}

	@Override
	void removed(MergeBox box, String collection, SubscriptionHandle sub, String id) {
		box.forwardRemoved(collection, id);
	}

}
