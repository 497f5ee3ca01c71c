package io.ddp.spring.server.publication;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The merge strategies: how a session's {@link MergeBox} handles the calls for one
 * collection, one implementation per {@link PublicationStrategy}.
 * <p>
 * The methods here take the calls for a collection of which the merge box holds no
 * {@link CollectionView}: {@link NoMergeNoHistoryStrategy} and {@link NoMergeStrategy}
 * forward them, and the {@link CollectionViewStrategy strategies that keep a view} create
 * one on the first {@code added} and from then on handle the view's calls, the strategy
 * being chosen once, when the view is created. Implementations are stateless singletons,
 * shared by every session.
 */
abstract sealed class MergeStrategy permits CollectionViewStrategy, NoMergeNoHistoryStrategy {

	/**
	 * Return the merge strategy that implements a publication strategy.
	 * @param strategy the publication strategy
	 * @return its merge strategy
	 */
	static MergeStrategy of(PublicationStrategy strategy) {
		return switch (strategy) {
			case SERVER_MERGE -> ServerMergeStrategy.INSTANCE;
			case NO_MERGE_NO_HISTORY -> NoMergeNoHistoryStrategy.INSTANCE;
			case NO_MERGE -> NoMergeStrategy.INSTANCE;
			case NO_MERGE_MULTI -> NoMergeMultiStrategy.INSTANCE;
		};
	}

	/**
	 * See {@link MergeBox#added}.
	 */
	abstract void added(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields);

	/**
	 * See {@link MergeBox#addedShared}.
	 */
	abstract void addedShared(MergeBox box, String collection, SubscriptionHandle sub, String id,
			DocumentSnapshot fields);

	/**
	 * See {@link MergeBox#changed}.
	 */
	abstract void changed(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields);

	/**
	 * See
	 * {@link MergeBox#changedShared(SubscriptionHandle, String, String, DocumentSnapshot, DocumentSnapshot)}.
	 */
	abstract void changedShared(MergeBox box, String collection, SubscriptionHandle sub, String id,
			@Nullable DocumentSnapshot previous, DocumentSnapshot fields);

	/**
	 * See {@link MergeBox#removed}.
	 */
	abstract void removed(MergeBox box, String collection, SubscriptionHandle sub, String id);

	/**
	 * Return the fields to send as {@code changed} for a new version of a document, for
	 * the strategies that keep no values: the difference from {@code previous} if known,
	 * else every field.
	 */
	static Map<String, @Nullable Object> delta(@Nullable DocumentSnapshot previous, DocumentSnapshot fields) {
		if (previous == null) {
			return fields.asMap();
		}
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		DocumentSnapshot.diff(previous, fields, delta);
		return delta;
	}

}
