package io.ddp.spring.server.publication;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The merge strategies that keep a {@link CollectionView} of the collection
 * ({@link PublicationStrategy#usesCollectionView()}): {@link ServerMergeStrategy} and
 * {@link NoMergeMultiStrategy}. Without a view, {@code added} creates one and every other
 * call fails, as the subscription publishes nothing there; the view's calls go to the
 * strategy the view was created with.
 */
abstract sealed class CollectionViewStrategy extends MergeStrategy permits ServerMergeStrategy, NoMergeMultiStrategy {

	/**
	 * Return the strategy for a view created during a user change, whose data is recorded
	 * silently and diffed when the change completes.
	 */
	abstract CollectionViewStrategy whileRecording();

	/**
	 * Return the view to keep once the user change that built it completes: the view
	 * itself, or one holding less.
	 */
	abstract CollectionView completeUserChange(CollectionView view);

	// Calls for a collection of which the merge box holds no view

	@Override
	final void added(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields) {
		CollectionView view = box.createView(collection, this, sub);
		view.strategy().added(view, sub, id, fields);
	}

	@Override
	final void addedShared(MergeBox box, String collection, SubscriptionHandle sub, String id,
			DocumentSnapshot fields) {
		CollectionView view = box.createView(collection, this, sub);
		view.strategy().addedShared(view, sub, id, fields);
	}

	@Override
	final void changed(MergeBox box, String collection, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields) {
		throw CollectionView.notFoundToChange(id);
	}

	@Override
	final void changedShared(MergeBox box, String collection, SubscriptionHandle sub, String id,
			@Nullable DocumentSnapshot previous, DocumentSnapshot fields) {
		throw CollectionView.notFoundToChange(id);
	}

	@Override
	final void removed(MergeBox box, String collection, SubscriptionHandle sub, String id) {
		throw CollectionView.notFoundToRemove(id);
	}

	// Calls for a view of this strategy

	/**
	 * See {@link MergeBox#added}.
	 */
	abstract void added(CollectionView view, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields);

	/**
	 * See {@link MergeBox#addedShared}.
	 */
	abstract void addedShared(CollectionView view, SubscriptionHandle sub, String id, DocumentSnapshot fields);

	/**
	 * See {@link MergeBox#changed}.
	 */
	abstract void changed(CollectionView view, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> fields);

	/**
	 * See
	 * {@link MergeBox#changedShared(SubscriptionHandle, String, String, DocumentSnapshot, DocumentSnapshot)}.
	 */
	abstract void changedShared(CollectionView view, SubscriptionHandle sub, String id,
			@Nullable DocumentSnapshot previous, DocumentSnapshot fields);

	/**
	 * See {@link MergeBox#removed}; the merge box drops the view if it is left empty.
	 */
	final void removed(CollectionView view, SubscriptionHandle sub, String id) {
		Object doc = view.requireForRemove(sub, id);
		if (!(doc instanceof MergedDocument merged)) {
			// Its only publisher let it go: the client forgets it.
			view.remove(id);
			view.box().sendRemoved(view.name(), id);
			return;
		}
		merged.removeMember(sub);
		removedFromMerged(view, sub, id, merged);
	}

	/**
	 * A subscription stopped publishing a document others still publish; it is no longer
	 * a member.
	 */
	abstract void removedFromMerged(CollectionView view, SubscriptionHandle sub, String id, MergedDocument merged);

}
