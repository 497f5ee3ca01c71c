package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * {@link PublicationStrategy#SERVER_MERGE}: the collection view keeps every field each
 * subscription publishes. A document published by several subscriptions reaches the
 * client once, each field showing its first publisher's value, and only real changes are
 * sent, values compared with {@code Ejson.equals}. {@code _id} among the fields is
 * ignored. Also records {@link PublicationStrategy#NO_MERGE_MULTI} collections during a
 * user change, so that the difference can announce whole documents.
 */
final class ServerMergeStrategy extends CollectionViewStrategy {

	static final ServerMergeStrategy INSTANCE = new ServerMergeStrategy(null);

	private static final String ID = "_id";

	// The strategy a view recorded during a user change continues with, if not this one
	private final @Nullable CollectionViewStrategy afterUserChange;

	private ServerMergeStrategy(@Nullable CollectionViewStrategy afterUserChange) {
		this.afterUserChange = afterUserChange;
	}

	/**
	 * Return a strategy that merges as this one does while a user change records, then
	 * hands the view over to {@code strategy} without its field values.
	 */
	static ServerMergeStrategy recordingFor(CollectionViewStrategy strategy) {
		return new ServerMergeStrategy(strategy);
	}

	@Override
	CollectionViewStrategy whileRecording() {
		return this;
	}

	@Override
	CollectionView completeUserChange(CollectionView view) {
		return (this.afterUserChange != null) ? view.dropFields(this.afterUserChange) : view;
	}

	@Override
	void added(CollectionView view, SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> fields) {
		Object doc = view.get(id);
		if (doc == null) {
			DocumentSnapshot snapshot = DocumentSnapshot.of(fields);
			view.put(id, sub, snapshot);
			view.box().sendAdded(view.name(), id, snapshot.asMap());
			return;
		}
		if (view.publishes(doc, sub)) {
			// Meteor would append duplicate precedence entries that outlive the
			// subscription; setting the fields keeps the bookkeeping exact
			change(view, sub, id, doc, fields, true);
			return;
		}
		MergedDocument merged = view.inflate(id, doc);
		merged.members.add(new MergedDocument.Member(sub, null));
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (Map.Entry<String, ? extends @Nullable Object> entry : fields.entrySet()) {
			Object value = entry.getValue();
			if (!ID.equals(entry.getKey()) && value != MergeBox.UNDEFINED) {
				merged.changeField(sub, entry.getKey(), Ejson.clone(value), delta);
			}
		}
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta));
	}

	@Override
	void addedShared(CollectionView view, SubscriptionHandle sub, String id, DocumentSnapshot snapshot) {
		Object doc = view.get(id);
		if (doc == null) {
			view.put(id, sub, snapshot);
			view.box().send(snapshot.addedMessage(view.name(), id));
			return;
		}
		if (view.publishes(doc, sub)) {
			changeShared(view, sub, id, doc, snapshot);
			return;
		}
		MergedDocument merged = view.inflate(id, doc);
		merged.members.add(new MergedDocument.Member(sub, snapshot));
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (int i = 0; i < snapshot.size(); i++) {
			merged.changeField(sub, snapshot.keyAt(i), snapshot.valueAt(i), delta);
		}
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta));
	}

	@Override
	void changed(CollectionView view, SubscriptionHandle sub, String id,
			Map<String, ? extends @Nullable Object> changes) {
		change(view, sub, id, view.requireForChange(sub, id), changes, false);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The version the view holds is used, not {@code previous}.
	 */
	@Override
	void changedShared(CollectionView view, SubscriptionHandle sub, String id, @Nullable DocumentSnapshot previous,
			DocumentSnapshot snapshot) {
		changeShared(view, sub, id, view.requireForChange(sub, id), snapshot);
	}

	@Override
	void removedFromMerged(CollectionView view, SubscriptionHandle sub, String id, MergedDocument merged) {
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (String key : new ArrayList<>(merged.dataByKey.keySet())) {
			merged.clearField(sub, key, delta);
		}
		view.deflateIfSole(id, merged);
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta));
	}

	private void change(CollectionView view, SubscriptionHandle sub, String id, Object doc,
			Map<String, ? extends @Nullable Object> changes, boolean fromAdded) {
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		if (doc instanceof MergedDocument merged) {
			merged.member(sub).values = null;
			for (Map.Entry<String, ? extends @Nullable Object> entry : changes.entrySet()) {
				String key = entry.getKey();
				Object value = entry.getValue();
				if (ID.equals(key)) {
					continue;
				}
				if (value != MergeBox.UNDEFINED) {
					merged.changeField(sub, key, Ejson.clone(value), delta);
				}
				else if (!fromAdded) {
					merged.clearField(sub, key, delta);
				}
			}
		}
		else {
			// The only publisher: its values are what the client sees
			DocumentSnapshot current = CollectionView.fieldsOf(doc);
			for (Map.Entry<String, ? extends @Nullable Object> entry : changes.entrySet()) {
				String key = entry.getKey();
				Object value = entry.getValue();
				if (ID.equals(key)) {
					continue;
				}
				if (value == MergeBox.UNDEFINED) {
					if (!fromAdded && current.containsKey(key)) {
						delta.put(key, MergeBox.UNDEFINED);
					}
					continue;
				}
				value = Ejson.clone(value);
				int i = current.indexOf(key);
				if (i < 0 || !Ejson.equals(current.valueAt(i), value)) {
					delta.put(key, value);
				}
			}
			if (!delta.isEmpty()) {
				// Equal values need not be stored: keep sharing what is not changing
				view.replaceFields(id, doc, current.withOwned(FieldMaps.nullable(delta)));
			}
		}
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta));
	}

	private void changeShared(CollectionView view, SubscriptionHandle sub, String id, Object doc,
			DocumentSnapshot snapshot) {
		if (!(doc instanceof MergedDocument merged)) {
			// The only publisher: every session that had the same version sends the same
			// message
			SharedMessage message = snapshot.changedMessage(CollectionView.fieldsOf(doc), view.name(), id);
			// Always take the new version so that the old one can be collected
			view.replaceFields(id, doc, snapshot);
			view.box().send(message);
			return;
		}
		MergedDocument.Member member = merged.member(sub);
		DocumentSnapshot previous = (member.values != null) ? member.values : merged.valuesOf(sub);
		Map<String, @Nullable Object> changes = new LinkedHashMap<>();
		DocumentSnapshot.diff(previous, snapshot, changes);
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (Map.Entry<String, @Nullable Object> entry : changes.entrySet()) {
			if (entry.getValue() != MergeBox.UNDEFINED) {
				merged.changeField(sub, entry.getKey(), entry.getValue(), delta);
			}
			else {
				merged.clearField(sub, entry.getKey(), delta);
			}
		}
		member.values = snapshot;
		view.box().sendChanged(view.name(), id, FieldMaps.nullable(delta));
	}

}
