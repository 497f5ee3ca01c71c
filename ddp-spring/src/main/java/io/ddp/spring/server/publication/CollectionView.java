package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A session's view of one collection (Meteor's {@code SessionCollectionView}) for the
 * strategies that keep one: what the client has of each document and which subscriptions
 * publish it. The view holds the documents; its {@link CollectionViewStrategy}, chosen
 * when the view is created, decides what each call does to them.
 * <p>
 * A document published by a single subscription is kept compact: its fields are one
 * {@link DocumentSnapshot} (shared with other sessions when it came from
 * {@link MergeBox#addedShared}), stored directly in {@link #documents} when the
 * subscription is the view's {@link #owner}, or in a two-field {@link SoleView}
 * otherwise. Only a document with several publishers is inflated to a
 * {@link MergedDocument}, and it is deflated again when a single publisher remains.
 * <p>
 * With {@link NoMergeMultiStrategy} the same shapes hold only membership, with
 * {@link DocumentSnapshot#EMPTY} as fields.
 */
final class CollectionView {

	private final MergeBox box;

	private final String name;

	private final CollectionViewStrategy strategy;

	// The first subscription that published here; its sole documents need no wrapper
	private final SubscriptionHandle owner;

	// Document id to DocumentSnapshot (owner only), SoleView or MergedDocument
	private final HashMap<String, Object> documents;

	CollectionView(MergeBox box, String name, CollectionViewStrategy strategy, SubscriptionHandle owner) {
		this(box, name, strategy, owner, new HashMap<>());
	}

	private CollectionView(MergeBox box, String name, CollectionViewStrategy strategy, SubscriptionHandle owner,
			HashMap<String, Object> documents) {
		this.box = box;
		this.name = name;
		this.strategy = strategy;
		this.owner = owner;
		this.documents = documents;
	}

	MergeBox box() {
		return this.box;
	}

	String name() {
		return this.name;
	}

	CollectionViewStrategy strategy() {
		return this.strategy;
	}

	boolean isEmpty() {
		return this.documents.isEmpty();
	}

	Map<String, Object> documents() {
		return this.documents;
	}

	// Documents and their shapes, for the strategies

	@Nullable Object get(String id) {
		return this.documents.get(id);
	}

	/**
	 * Hold a new document published by a single subscription.
	 */
	void put(String id, SubscriptionHandle sub, DocumentSnapshot fields) {
		if (this.documents.put(id, compact(sub, fields)) == null) {
			this.box.documentAdded();
		}
	}

	void remove(String id) {
		if (this.documents.remove(id) != null) {
			this.box.documentRemoved();
		}
	}

	Object requireForChange(SubscriptionHandle sub, String id) {
		Object doc = this.documents.get(id);
		if (doc == null || !publishes(doc, sub)) {
			throw notFoundToChange(id);
		}
		return doc;
	}

	Object requireForRemove(SubscriptionHandle sub, String id) {
		Object doc = this.documents.get(id);
		if (doc == null || !publishes(doc, sub)) {
			throw notFoundToRemove(id);
		}
		return doc;
	}

	static IllegalStateException notFoundToChange(String id) {
		return new IllegalStateException("Could not find element with id " + id + " to change");
	}

	static IllegalStateException notFoundToRemove(String id) {
		return new IllegalStateException("Removed nonexistent document " + id);
	}

	boolean publishes(Object doc, SubscriptionHandle sub) {
		if (doc instanceof DocumentSnapshot) {
			return sub == this.owner;
		}
		if (doc instanceof SoleView sole) {
			return sole.sub == sub;
		}
		return ((MergedDocument) doc).indexOfMember(sub) >= 0;
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

	/**
	 * Return the fields of a document that is not a {@link MergedDocument}.
	 */
	static DocumentSnapshot fieldsOf(Object compactDoc) {
		return (compactDoc instanceof SoleView sole) ? sole.fields : (DocumentSnapshot) compactDoc;
	}

	/**
	 * Replace the fields of a document that is not a {@link MergedDocument}.
	 */
	void replaceFields(String id, Object compactDoc, DocumentSnapshot fields) {
		if (compactDoc instanceof SoleView sole) {
			sole.fields = fields;
		}
		else {
			this.documents.put(id, fields);
		}
	}

	/**
	 * Return the document as a {@link MergedDocument}, converting a compact one, whose
	 * fields become its sole publisher's values.
	 */
	MergedDocument inflate(String id, Object doc) {
		if (doc instanceof MergedDocument merged) {
			return merged;
		}
		SubscriptionHandle sub = (doc instanceof SoleView sole) ? sole.sub : this.owner;
		DocumentSnapshot fields = fieldsOf(doc);
		MergedDocument merged = new MergedDocument();
		merged.members.add(new MergedDocument.Member(sub, fields));
		for (int i = 0; i < fields.size(); i++) {
			List<MergedDocument.Entry> precedence = new ArrayList<>(2);
			precedence.add(new MergedDocument.Entry(sub, fields.valueAt(i)));
			merged.dataByKey.put(fields.keyAt(i), precedence);
		}
		this.documents.put(id, merged);
		return merged;
	}

	/**
	 * Make a merged document compact again if a single publisher remains.
	 */
	void deflateIfSole(String id, MergedDocument merged) {
		if (merged.members.size() != 1) {
			return;
		}
		// One publisher left, so every precedence list holds only its values (none
		// without field values: visible() is then empty)
		MergedDocument.Member member = merged.members.get(0);
		DocumentSnapshot fields = (member.values != null) ? member.values : merged.visible();
		this.documents.put(id, compact(member.sub, fields));
	}

	/**
	 * Return what the client sees of a document.
	 */
	static DocumentSnapshot visible(Object doc) {
		return (doc instanceof MergedDocument merged) ? merged.visible() : fieldsOf(doc);
	}

	/**
	 * Return a view of the same documents without their field values, handled by another
	 * strategy from now on. This view must not be used any more.
	 */
	CollectionView dropFields(CollectionViewStrategy strategy) {
		for (Map.Entry<String, Object> entry : this.documents.entrySet()) {
			if (entry.getValue() instanceof MergedDocument merged) {
				merged.dropFields();
			}
			else if (entry.getValue() instanceof SoleView sole) {
				sole.fields = DocumentSnapshot.EMPTY;
			}
			else {
				entry.setValue(DocumentSnapshot.EMPTY);
			}
		}
		return new CollectionView(this.box, this.name, strategy, this.owner, this.documents);
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

}
