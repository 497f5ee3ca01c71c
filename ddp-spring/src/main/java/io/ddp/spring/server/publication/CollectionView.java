package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * A session's view of one collection (Meteor's {@code SessionCollectionView}) for the
 * strategies that keep one: what the client has of each document and which subscriptions
 * publish it.
 * <p>
 * A document published by a single subscription is kept compact: its fields are one
 * {@link DocumentSnapshot} (shared with other sessions when it came from
 * {@link MergeBox#addedShared}), stored directly in {@link #documents} when the
 * subscription is the view's {@link #owner}, or in a two-field {@link SoleView}
 * otherwise. Only a document with several publishers is inflated to a {@link MergedView}
 * with Meteor's per-field precedence lists, and it is deflated again when a single
 * publisher remains.
 * <p>
 * With {@link #storesFields} off ({@link PublicationStrategy#NO_MERGE_MULTI}) the same
 * shapes hold only membership, with {@link DocumentSnapshot#EMPTY} as fields, and calls
 * are forwarded as they are.
 *
 */
final class CollectionView {

	private static final String ID = "_id";

	private final MergeBox box;

	private final String name;

	private final PublicationStrategy strategy;

	// The first subscription that published here; its sole documents need no wrapper
	private final SubscriptionHandle owner;

	private boolean storesFields;

	// Document id to DocumentSnapshot (owner only), SoleView or MergedView
	private final HashMap<String, Object> documents = new HashMap<>();

	CollectionView(MergeBox box, String name, PublicationStrategy strategy, SubscriptionHandle owner,
			boolean storesFields) {
		this.box = box;
		this.name = name;
		this.strategy = strategy;
		this.owner = owner;
		this.storesFields = storesFields;
	}

	String name() {
		return this.name;
	}

	PublicationStrategy strategy() {
		return this.strategy;
	}

	boolean storesFields() {
		return this.storesFields;
	}

	boolean isEmpty() {
		return this.documents.isEmpty();
	}

	Map<String, Object> documents() {
		return this.documents;
	}

	// added / changed / removed, merging (SERVER_MERGE)

	void added(SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> fields) {
		Object doc = this.documents.get(id);
		if (doc == null) {
			DocumentSnapshot snapshot = DocumentSnapshot.of(fields);
			this.documents.put(id, compact(sub, snapshot));
			this.box.sendAdded(this.name, id, snapshot.asMap());
			return;
		}
		if (publishes(doc, sub)) {
			// Meteor would append duplicate precedence entries that outlive the
			// subscription; setting the fields keeps the bookkeeping exact
			change(sub, id, doc, fields, true);
			return;
		}
		MergedView merged = inflate(id, doc);
		merged.members.add(new Member(sub, null));
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (Map.Entry<String, ? extends @Nullable Object> entry : fields.entrySet()) {
			Object value = entry.getValue();
			if (!ID.equals(entry.getKey()) && value != MergeBox.UNDEFINED) {
				merged.changeField(sub, entry.getKey(), Ejson.clone(value), delta);
			}
		}
		this.box.sendChanged(this.name, id, delta);
	}

	void addedShared(SubscriptionHandle sub, String id, DocumentSnapshot snapshot) {
		Object doc = this.documents.get(id);
		if (doc == null) {
			this.documents.put(id, compact(sub, snapshot));
			this.box.send(snapshot.addedMessage(this.name, id));
			return;
		}
		if (publishes(doc, sub)) {
			changeShared(sub, id, doc, snapshot);
			return;
		}
		MergedView merged = inflate(id, doc);
		merged.members.add(new Member(sub, snapshot));
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (int i = 0; i < snapshot.size(); i++) {
			merged.changeField(sub, snapshot.keyAt(i), snapshot.valueAt(i), delta);
		}
		this.box.sendChanged(this.name, id, delta);
	}

	void changed(SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> changes) {
		change(sub, id, requireForChange(sub, id), changes, false);
	}

	void changedShared(SubscriptionHandle sub, String id, DocumentSnapshot snapshot) {
		changeShared(sub, id, requireForChange(sub, id), snapshot);
	}

	private void change(SubscriptionHandle sub, String id, Object doc, Map<String, ? extends @Nullable Object> changes,
			boolean fromAdded) {
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		if (doc instanceof MergedView merged) {
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
			DocumentSnapshot current = fieldsOf(doc);
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
				replaceFields(id, doc, current.withOwned(delta));
			}
		}
		this.box.sendChanged(this.name, id, delta);
	}

	private void changeShared(SubscriptionHandle sub, String id, Object doc, DocumentSnapshot snapshot) {
		if (!(doc instanceof MergedView merged)) {
			// The only publisher: every session that had the same version sends the same
			// message
			SharedMessage message = snapshot.changedMessage(fieldsOf(doc), this.name, id);
			// Always take the new version so that the old one can be collected
			replaceFields(id, doc, snapshot);
			this.box.send(message);
			return;
		}
		Member member = merged.member(sub);
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
		this.box.sendChanged(this.name, id, delta);
	}

	void removed(SubscriptionHandle sub, String id) {
		Object doc = requireForRemove(sub, id);
		if (!(doc instanceof MergedView merged)) {
			this.documents.remove(id);
			this.box.sendRemoved(this.name, id);
			return;
		}
		merged.removeMember(sub);
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		for (String key : new ArrayList<>(merged.dataByKey.keySet())) {
			merged.clearField(sub, key, delta);
		}
		deflateIfSole(id, merged);
		this.box.sendChanged(this.name, id, delta);
	}

	// added / changed / removed, forwarding (NO_MERGE_MULTI)

	void forwardAdded(SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> fields) {
		Object doc = this.documents.get(id);
		if (doc == null) {
			this.documents.put(id, compact(sub, DocumentSnapshot.EMPTY));
			this.box.sendAdded(this.name, id, MergeBox.withoutUndefined(fields));
			return;
		}
		if (!publishes(doc, sub)) {
			inflate(id, doc).members.add(new Member(sub, null));
		}
		// The client has the document already: Meteor sends what was added as a change
		this.box.sendChanged(this.name, id, fields);
	}

	void forwardChanged(SubscriptionHandle sub, String id, Map<String, ? extends @Nullable Object> changes) {
		requireForChange(sub, id);
		this.box.sendChanged(this.name, id, changes);
	}

	void forwardRemoved(SubscriptionHandle sub, String id) {
		Object doc = requireForRemove(sub, id);
		if (!(doc instanceof MergedView merged)) {
			this.documents.remove(id);
			this.box.sendRemoved(this.name, id);
			return;
		}
		// Others still publish it and no fields are known: nothing to tell the client
		merged.removeMember(sub);
		deflateIfSole(id, merged);
	}

	// membership and shapes

	private Object requireForChange(SubscriptionHandle sub, String id) {
		Object doc = this.documents.get(id);
		if (doc == null || !publishes(doc, sub)) {
			throw new IllegalStateException("Could not find element with id " + id + " to change");
		}
		return doc;
	}

	private Object requireForRemove(SubscriptionHandle sub, String id) {
		Object doc = this.documents.get(id);
		if (doc == null || !publishes(doc, sub)) {
			throw new IllegalStateException("Removed nonexistent document " + id);
		}
		return doc;
	}

	boolean publishes(Object doc, SubscriptionHandle sub) {
		if (doc instanceof DocumentSnapshot) {
			return sub == this.owner;
		}
		if (doc instanceof SoleView sole) {
			return sole.sub == sub;
		}
		return ((MergedView) doc).indexOfMember(sub) >= 0;
	}

	/**
	 * Return the ids of the documents the given subscription publishes here.
	 */
	List<String> documentsOf(SubscriptionHandle sub) {
		List<String> ids = new ArrayList<>();
		for (Map.Entry<String, Object> entry : this.documents.entrySet()) {
			if (publishes(entry.getValue(), sub)) {
				ids.add(entry.getKey());
			}
		}
		return ids;
	}

	private Object compact(SubscriptionHandle sub, DocumentSnapshot fields) {
		return (sub == this.owner) ? fields : new SoleView(sub, fields);
	}

	private static DocumentSnapshot fieldsOf(Object compactDoc) {
		return (compactDoc instanceof SoleView sole) ? sole.fields : (DocumentSnapshot) compactDoc;
	}

	private void replaceFields(String id, Object compactDoc, DocumentSnapshot fields) {
		if (compactDoc instanceof SoleView sole) {
			sole.fields = fields;
		}
		else {
			this.documents.put(id, fields);
		}
	}

	private MergedView inflate(String id, Object doc) {
		if (doc instanceof MergedView merged) {
			return merged;
		}
		SubscriptionHandle sub = (doc instanceof SoleView sole) ? sole.sub : this.owner;
		DocumentSnapshot fields = fieldsOf(doc);
		MergedView merged = new MergedView();
		merged.members.add(new Member(sub, fields));
		for (int i = 0; i < fields.size(); i++) {
			List<Entry> precedence = new ArrayList<>(2);
			precedence.add(new Entry(sub, fields.valueAt(i)));
			merged.dataByKey.put(fields.keyAt(i), precedence);
		}
		this.documents.put(id, merged);
		return merged;
	}

	private void deflateIfSole(String id, MergedView merged) {
		if (merged.members.size() != 1) {
			return;
		}
		// One publisher left, so every precedence list holds only its values
		Member member = merged.members.get(0);
		DocumentSnapshot fields = DocumentSnapshot.EMPTY;
		if (this.storesFields) {
			fields = (member.values != null) ? member.values : merged.visible();
		}
		this.documents.put(id, compact(member.sub, fields));
	}

	/**
	 * Return what the client sees of a document.
	 */
	static DocumentSnapshot visible(Object doc) {
		return (doc instanceof MergedView merged) ? merged.visible() : fieldsOf(doc);
	}

	/**
	 * Stop keeping field values, after a user change re-ran a NO_MERGE_MULTI collection
	 * with values so that the diff could announce whole documents.
	 */
	void dropFields() {
		this.storesFields = false;
		for (Map.Entry<String, Object> entry : this.documents.entrySet()) {
			if (entry.getValue() instanceof MergedView merged) {
				merged.dataByKey.clear();
				for (Member member : merged.members) {
					member.values = null;
				}
			}
			else if (entry.getValue() instanceof SoleView sole) {
				sole.fields = DocumentSnapshot.EMPTY;
			}
			else {
				entry.setValue(DocumentSnapshot.EMPTY);
			}
		}
	}

	/**
	 * A document published by a single subscription other than the owner.
	 */
	private static final class SoleView {

		final SubscriptionHandle sub;

		DocumentSnapshot fields;

		SoleView(SubscriptionHandle sub, DocumentSnapshot fields) {
			this.sub = sub;
			this.fields = fields;
		}

	}

	/**
	 * A subscription that publishes a merged document.
	 */
	private static final class Member {

		final SubscriptionHandle sub;

		// Exactly this subscription's values when known (its latest shared snapshot),
		// so a deflated document can share it again; null after a plain change
		@Nullable DocumentSnapshot values;

		Member(SubscriptionHandle sub, @Nullable DocumentSnapshot values) {
			this.sub = sub;
			this.values = values;
		}

	}

	/**
	 * One subscription's value for a field.
	 */
	private static final class Entry {

		final SubscriptionHandle sub;

		@Nullable Object value;

		Entry(SubscriptionHandle sub, @Nullable Object value) {
			this.sub = sub;
			this.value = value;
		}

	}

	/**
	 * A document published by several subscriptions: Meteor's {@code SessionDocumentView}
	 * with {@code existsIn} and {@code dataByKey}, whose precedence lists have the value
	 * the client sees at their head.
	 */
	private static final class MergedView {

		final List<Member> members = new ArrayList<>(2);

		final LinkedHashMap<String, List<Entry>> dataByKey = new LinkedHashMap<>();

		int indexOfMember(SubscriptionHandle sub) {
			for (int i = 0; i < this.members.size(); i++) {
				if (this.members.get(i).sub == sub) {
					return i;
				}
			}
			return -1;
		}

		Member member(SubscriptionHandle sub) {
			return this.members.get(indexOfMember(sub));
		}

		void removeMember(SubscriptionHandle sub) {
			this.members.remove(indexOfMember(sub));
		}

		void changeField(SubscriptionHandle sub, String key, @Nullable Object value,
				Map<String, @Nullable Object> delta) {
			List<Entry> precedence = this.dataByKey.get(key);
			if (precedence == null) {
				precedence = new ArrayList<>(2);
				precedence.add(new Entry(sub, value));
				this.dataByKey.put(key, precedence);
				delta.put(key, value);
				return;
			}
			for (int i = 0; i < precedence.size(); i++) {
				Entry entry = precedence.get(i);
				if (entry.sub == sub) {
					if (i == 0 && !Ejson.equals(value, entry.value)) {
						delta.put(key, value);
					}
					entry.value = value;
					return;
				}
			}
			// First publisher wins: a newcomer's value waits at the tail
			precedence.add(new Entry(sub, value));
		}

		void clearField(SubscriptionHandle sub, String key, Map<String, @Nullable Object> delta) {
			List<Entry> precedence = this.dataByKey.get(key);
			if (precedence == null) {
				return;
			}
			boolean wasVisible = false;
			Object removedValue = null;
			for (int i = 0; i < precedence.size(); i++) {
				if (precedence.get(i).sub == sub) {
					wasVisible = (i == 0);
					removedValue = precedence.remove(i).value;
					break;
				}
			}
			if (precedence.isEmpty()) {
				this.dataByKey.remove(key);
				delta.put(key, MergeBox.UNDEFINED);
			}
			else if (wasVisible && !Ejson.equals(removedValue, precedence.get(0).value)) {
				delta.put(key, precedence.get(0).value);
			}
		}

		DocumentSnapshot visible() {
			String[] keys = new String[this.dataByKey.size()];
			@Nullable Object[] values = new Object[keys.length];
			int i = 0;
			for (Map.Entry<String, List<Entry>> field : this.dataByKey.entrySet()) {
				keys[i] = field.getKey();
				values[i++] = field.getValue().get(0).value;
			}
			return DocumentSnapshot.ofOwned(keys, values);
		}

		DocumentSnapshot valuesOf(SubscriptionHandle sub) {
			Map<String, @Nullable Object> values = new LinkedHashMap<>();
			for (Map.Entry<String, List<Entry>> field : this.dataByKey.entrySet()) {
				for (Entry entry : field.getValue()) {
					if (entry.sub == sub) {
						values.put(field.getKey(), entry.value);
						break;
					}
				}
			}
			return DocumentSnapshot.ofOwned(values);
		}

	}

}
