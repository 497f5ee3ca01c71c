package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * A direct transcription of Meteor's {@code SessionCollectionView} and
 * {@code SessionDocumentView} (a precedence list for every field of every document) and
 * of {@code Subscription._documents}, with the per-subscription checks of
 * {@link MergeBox}: the model that {@link MergeBoxModelTests} compares against.
 */
class ReferenceMergeBox {

	private final Map<String, Map<String, DocumentView>> collections = new LinkedHashMap<>();

	private final Map<SubscriptionHandle, Map<String, Set<String>>> documents = new LinkedHashMap<>();

	private final MergeBoxOutput output;

	ReferenceMergeBox(MergeBoxOutput output) {
		this.output = output;
	}

	void added(SubscriptionHandle sub, String collection, String id, Map<String, @Nullable Object> fields) {
		this.documents.computeIfAbsent(sub, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(collection, (key) -> new LinkedHashSet<>())
			.add(id);
		Map<String, DocumentView> view = this.collections.computeIfAbsent(collection, (key) -> new LinkedHashMap<>());
		boolean isNew = !view.containsKey(id);
		DocumentView doc = view.computeIfAbsent(id, (key) -> new DocumentView());
		doc.existsIn.add(sub);
		Map<String, @Nullable Object> collector = new LinkedHashMap<>();
		fields.forEach((key, value) -> doc.changeField(sub, key, value, collector, true));
		if (isNew) {
			this.output.added(collection, id, collector);
		}
		else {
			sendChanged(collection, id, collector);
		}
	}

	void changed(SubscriptionHandle sub, String collection, String id, Map<String, @Nullable Object> fields) {
		DocumentView doc = this.collections.getOrDefault(collection, Map.of()).get(id);
		if (doc == null || !doc.existsIn.contains(sub)) {
			throw new IllegalStateException("Could not find element with id " + id + " to change");
		}
		Map<String, @Nullable Object> collector = new LinkedHashMap<>();
		fields.forEach((key, value) -> {
			if (value == MergeBox.UNDEFINED) {
				doc.clearField(sub, key, collector);
			}
			else {
				doc.changeField(sub, key, value, collector, false);
			}
		});
		sendChanged(collection, id, collector);
	}

	void removed(SubscriptionHandle sub, String collection, String id) {
		Map<String, DocumentView> view = this.collections.get(collection);
		DocumentView doc = (view != null) ? view.get(id) : null;
		if (doc == null || !doc.existsIn.contains(sub)) {
			throw new IllegalStateException("Removed nonexistent document " + id);
		}
		this.documents.get(sub).get(collection).remove(id);
		doc.existsIn.remove(sub);
		if (doc.existsIn.isEmpty()) {
			this.output.removed(collection, id);
			view.remove(id);
			if (view.isEmpty()) {
				this.collections.remove(collection);
			}
			return;
		}
		Map<String, @Nullable Object> collector = new LinkedHashMap<>();
		for (String key : new ArrayList<>(doc.dataByKey.keySet())) {
			doc.clearField(sub, key, collector);
		}
		sendChanged(collection, id, collector);
	}

	void removeSubscription(SubscriptionHandle sub) {
		Map<String, Set<String>> published = this.documents.get(sub);
		if (published != null) {
			published.forEach((collection, ids) -> new ArrayList<>(ids).forEach((id) -> removed(sub, collection, id)));
			this.documents.remove(sub);
		}
	}

	@Nullable Map<String, @Nullable Object> fields(String collection, String id) {
		DocumentView doc = this.collections.getOrDefault(collection, Map.of()).get(id);
		if (doc == null) {
			return null;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		doc.dataByKey.forEach((key, precedence) -> fields.put(key, precedence.get(0).value));
		return fields;
	}

	Set<String> collections() {
		return this.collections.keySet();
	}

	Set<String> documentIds(String collection) {
		return this.collections.getOrDefault(collection, Map.of()).keySet();
	}

	private void sendChanged(String collection, String id, Map<String, @Nullable Object> collector) {
		if (collector.isEmpty()) {
			return;
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		List<String> cleared = new ArrayList<>();
		collector.forEach((key, value) -> {
			if (value == MergeBox.UNDEFINED) {
				cleared.add(key);
			}
			else {
				fields.put(key, value);
			}
		});
		this.output.changed(collection, id, fields, cleared);
	}

	private static final class Precedence {

		final SubscriptionHandle sub;

		@Nullable Object value;

		Precedence(SubscriptionHandle sub, @Nullable Object value) {
			this.sub = sub;
			this.value = value;
		}

	}

	private static final class DocumentView {

		final Set<SubscriptionHandle> existsIn = new LinkedHashSet<>();

		final Map<String, List<Precedence>> dataByKey = new LinkedHashMap<>();

		void clearField(SubscriptionHandle sub, String key, Map<String, @Nullable Object> collector) {
			if (key.equals("_id")) {
				return;
			}
			List<Precedence> precedenceList = this.dataByKey.get(key);
			if (precedenceList == null) {
				return;
			}
			Object removedValue = MergeBox.UNDEFINED;
			for (int i = 0; i < precedenceList.size(); i++) {
				Precedence precedence = precedenceList.get(i);
				if (precedence.sub == sub) {
					if (i == 0) {
						removedValue = precedence.value;
					}
					precedenceList.remove(i);
					break;
				}
			}
			if (precedenceList.isEmpty()) {
				this.dataByKey.remove(key);
				collector.put(key, MergeBox.UNDEFINED);
			}
			else if (removedValue != MergeBox.UNDEFINED && !Ejson.equals(removedValue, precedenceList.get(0).value)) {
				collector.put(key, precedenceList.get(0).value);
			}
		}

		void changeField(SubscriptionHandle sub, String key, @Nullable Object value,
				Map<String, @Nullable Object> collector, boolean isAdd) {
			if (key.equals("_id")) {
				return;
			}
			value = Ejson.clone(value);
			List<Precedence> precedenceList = this.dataByKey.get(key);
			if (precedenceList == null) {
				precedenceList = new ArrayList<>();
				precedenceList.add(new Precedence(sub, value));
				this.dataByKey.put(key, precedenceList);
				collector.put(key, value);
				return;
			}
			Precedence elt = null;
			if (!isAdd) {
				for (Precedence precedence : precedenceList) {
					if (precedence.sub == sub) {
						elt = precedence;
						break;
					}
				}
			}
			if (elt != null) {
				if (elt == precedenceList.get(0) && !Ejson.equals(value, elt.value)) {
					collector.put(key, value);
				}
				elt.value = value;
			}
			else {
				precedenceList.add(new Precedence(sub, value));
			}
		}

	}

}
