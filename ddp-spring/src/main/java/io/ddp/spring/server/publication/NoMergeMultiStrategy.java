package io.ddp.spring.server.publication;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * {@link PublicationStrategy#NO_MERGE_MULTI}: the collection view records which
 * subscriptions publish each document, so {@code removed} goes out only when the last of
 * them removes it, but keeps no field values: {@code added} and {@code changed} are
 * forwarded without comparing, an {@code added} for a document the client has already is
 * sent as {@code changed}, and a subscription that leaves a document another still
 * publishes sends nothing. During a user change the view is recorded by
 * {@link ServerMergeStrategy}, with values, and loses them when the change completes.
 */
final class NoMergeMultiStrategy extends CollectionViewStrategy {

	static final NoMergeMultiStrategy INSTANCE = new NoMergeMultiStrategy();

	private static final ServerMergeStrategy RECORDING = ServerMergeStrategy.recordingFor(INSTANCE);

	private NoMergeMultiStrategy() {
	}

	@Override
	CollectionViewStrategy whileRecording() {
		return RECORDING;
	}

	@Override
	CollectionView completeUserChange(CollectionView view) {
		return view;
	}

	@Override
	void added(CollectionView view, SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> fields) {
		Object doc = view.get(id);
		if (doc == null) {
			view.put(id, sub, DocumentSnapshot.EMPTY);
			view.box().sendAdded(view.name(), id, MergeBox.withoutUndefined(fields));
			return;
		}
		if (!view.publishes(doc, sub)) {
			view.inflate(id, doc).members.add(new MergedDocument.Member(sub, DocumentSnapshot.EMPTY));
		}
		// The client has the document already: Meteor sends what was added as a change
		view.box().sendChanged(view.name(), id, fields);
	}

	@Override
	void addedShared(CollectionView view, SubscriptionHandle sub, String id, DocumentSnapshot fields) {
		added(view, sub, id, FieldMaps.nullable(fields.asMap()));
	}

	@Override
	void changed(CollectionView view, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> changes) {
		view.requireForChange(sub, id);
		view.box().sendChanged(view.name(), id, changes);
	}

	@Override
	void changedShared(CollectionView view, SubscriptionHandle sub, String id, @Nullable DocumentSnapshot previous,
			DocumentSnapshot fields) {
		view.requireForChange(sub, id);
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta(previous, fields)));
	}

	@Override
	void removedFromMerged(CollectionView view, SubscriptionHandle sub, String id, MergedDocument merged) {
		// Others still publish it and no fields are known: nothing to tell the client
		view.deflateIfSole(id, merged);
	}

}
