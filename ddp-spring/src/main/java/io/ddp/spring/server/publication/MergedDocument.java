package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * A document that several subscriptions of a session publish, as a {@link CollectionView}
 * holds it: Meteor's {@code SessionDocumentView} with {@code existsIn} ({@link #members})
 * and {@code dataByKey}, whose precedence lists have the value the client sees at their
 * head. {@link NoMergeMultiStrategy} uses only the members.
 */
final class MergedDocument {

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

	/**
	 * Set a subscription's value of a field, recording in {@code delta} what the client
	 * sees change.
	 */
	void changeField(SubscriptionHandle sub, String key, @Nullable Object value, Map<String, @Nullable Object> delta) {
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

	/**
	 * Clear a subscription's value of a field, recording in {@code delta} what the client
	 * sees change.
	 */
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

	/**
	 * Return what the client sees: the head of every precedence list.
	 */
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

	/**
	 * Return one subscription's values, wherever they stand in the precedence lists.
	 */
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
		return DocumentSnapshot.ofOwned(FieldMaps.nullable(values));
	}

	/**
	 * Forget every field value, keeping the members (after a user change of a
	 * {@link PublicationStrategy#NO_MERGE_MULTI} collection).
	 */
	void dropFields() {
		this.dataByKey.clear();
		for (Member member : this.members) {
			member.values = DocumentSnapshot.EMPTY;
		}
	}

	/**
	 * A subscription that publishes the document.
	 */
	static final class Member {

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
	static final class Entry {

		final SubscriptionHandle sub;

		@Nullable Object value;

		Entry(SubscriptionHandle sub, @Nullable Object value) {
			this.sub = sub;
			this.value = value;
		}

	}

}
