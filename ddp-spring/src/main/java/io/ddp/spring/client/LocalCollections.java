package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.ObjectId;
import org.jspecify.annotations.Nullable;

/**
 * The client's documents, one map per collection name, fed by {@code added},
 * {@code changed} and {@code removed}. Writes come in batches under a write lock, so
 * readers on any thread see a batch entirely or not at all; after a reconnect the whole
 * content is replaced in one batch and the listeners get the difference.
 *
 * <p>
 * Like Meteor's browser client it tolerates merge-box anomalies of servers without a
 * merge box: {@code added} for a known document acts as {@code changed}, {@code changed}
 * for an unknown one as {@code added}, {@code removed} of an unknown one is ignored.
 *
 * @since 0.1.0
 */
final class LocalCollections {

	static final String ID = "_id";

	private final Ejson ejson;

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private Map<String, Map<String, Doc>> collections = new HashMap<>();

	LocalCollections(Ejson ejson) {
		this.ejson = ejson;
	}

	/**
	 * Apply a batch of messages; messages other than data changes are skipped.
	 * @param messages the messages in arrival order
	 * @param reset whether to start from empty collections (after a reconnect)
	 * @return the changes, for listeners
	 */
	List<DocumentChange> apply(List<IncomingMessage> messages, boolean reset) {
		List<Decoded> decoded = new ArrayList<>(messages.size());
		for (IncomingMessage message : messages) {
			Decoded d = decode(message);
			if (d != null) {
				decoded.add(d);
			}
		}
		if (decoded.isEmpty() && !reset) {
			return List.of();
		}
		this.lock.writeLock().lock();
		try {
			if (!reset) {
				List<DocumentChange> changes = new ArrayList<>(decoded.size());
				for (Decoded d : decoded) {
					DocumentChange change = applyOne(this.collections, d);
					if (change != null) {
						changes.add(change);
					}
				}
				return changes;
			}
			Map<String, Map<String, Doc>> previous = this.collections;
			Map<String, Map<String, Doc>> next = new HashMap<>();
			for (Decoded d : decoded) {
				applyOne(next, d);
			}
			this.collections = next;
			return diff(previous, next);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private @Nullable Decoded decode(IncomingMessage message) {
		String msg = message.msg;
		if (message.collection == null || message.id == null || msg == null) {
			return null;
		}
		Object rawId = DocumentIds.parse(message.id);
		String key = key(rawId);
		return switch (msg) {
			case "added", "changed" -> {
				Map<String, @Nullable Object> fields = new LinkedHashMap<>();
				if (message.fields != null && message.fields.isObject()
						&& this.ejson.fromJson(message.fields) instanceof Map<?, ?> map) {
					for (Map.Entry<?, ?> entry : map.entrySet()) {
						if (!ID.equals(entry.getKey())) {
							fields.put((String) entry.getKey(), entry.getValue());
						}
					}
				}
				List<String> cleared = (message.cleared != null) ? message.cleared : List.of();
				yield new Decoded(msg.equals("added"), false, message.collection, key, rawId, fields, cleared);
			}
			case "removed" ->
				new Decoded(false, true, message.collection, key, rawId, Map.<String, @Nullable Object>of(), List.of());
			default -> null;
		};
	}

	/**
	 * The string form of an unescaped id under which documents are kept and looked up.
	 * @param rawId the id
	 * @return the key
	 */
	static String key(@Nullable Object rawId) {
		if (rawId instanceof String string) {
			return string;
		}
		if (rawId instanceof ObjectId objectId) {
			return objectId.hexString();
		}
		return String.valueOf(rawId);
	}

	private static @Nullable DocumentChange applyOne(Map<String, Map<String, Doc>> collections, Decoded d) {
		Map<String, Doc> docs = collections.computeIfAbsent(d.collection, (name) -> new LinkedHashMap<>());
		Doc existing = docs.get(d.key);
		if (d.removed) {
			if (existing == null) {
				return null;
			}
			docs.remove(d.key);
			return new DocumentChange(DocumentChange.Kind.REMOVED, d.collection, d.key,
					Map.<String, @Nullable Object>of(), List.of(), existing.withId(), null);
		}
		if (existing == null) {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>(d.fields);
			Doc doc = new Doc(d.rawId, Collections.<String, @Nullable Object>unmodifiableMap(fields));
			docs.put(d.key, doc);
			return new DocumentChange(DocumentChange.Kind.ADDED, d.collection, d.key, doc.fields, List.of(), null,
					doc.withId());
		}
		Map<String, @Nullable Object> fields = new LinkedHashMap<>(existing.fields);
		if (d.added) {
			// a repeated added replaces the document
			fields.clear();
		}
		fields.putAll(d.fields);
		for (String name : d.cleared) {
			fields.remove(name);
		}
		Doc doc = new Doc(existing.rawId, Collections.<String, @Nullable Object>unmodifiableMap(fields));
		docs.put(d.key, doc);
		return new DocumentChange(DocumentChange.Kind.CHANGED, d.collection, d.key, d.fields, d.cleared,
				existing.withId(), doc.withId());
	}

	private static List<DocumentChange> diff(Map<String, Map<String, Doc>> before,
			Map<String, Map<String, Doc>> after) {
		List<DocumentChange> changes = new ArrayList<>();
		for (Map.Entry<String, Map<String, Doc>> collection : before.entrySet()) {
			Map<String, Doc> now = after.getOrDefault(collection.getKey(), Map.of());
			for (Map.Entry<String, Doc> entry : collection.getValue().entrySet()) {
				Doc old = entry.getValue();
				Doc doc = now.get(entry.getKey());
				if (doc == null) {
					changes.add(new DocumentChange(DocumentChange.Kind.REMOVED, collection.getKey(), entry.getKey(),
							Map.<String, @Nullable Object>of(), List.of(), old.withId(), null));
					continue;
				}
				Map<String, @Nullable Object> delta = new LinkedHashMap<>();
				for (Map.Entry<String, @Nullable Object> field : doc.fields.entrySet()) {
					if (!old.fields.containsKey(field.getKey())
							|| !Ejson.equals(old.fields.get(field.getKey()), field.getValue())) {
						delta.put(field.getKey(), field.getValue());
					}
				}
				List<String> cleared = new ArrayList<>();
				for (String name : old.fields.keySet()) {
					if (!doc.fields.containsKey(name)) {
						cleared.add(name);
					}
				}
				if (!delta.isEmpty() || !cleared.isEmpty()) {
					changes.add(new DocumentChange(DocumentChange.Kind.CHANGED, collection.getKey(), entry.getKey(),
							delta, cleared, old.withId(), doc.withId()));
				}
			}
		}
		for (Map.Entry<String, Map<String, Doc>> collection : after.entrySet()) {
			Map<String, Doc> old = before.getOrDefault(collection.getKey(), Map.of());
			for (Map.Entry<String, Doc> entry : collection.getValue().entrySet()) {
				if (!old.containsKey(entry.getKey())) {
					changes.add(new DocumentChange(DocumentChange.Kind.ADDED, collection.getKey(), entry.getKey(),
							entry.getValue().fields, List.of(), null, entry.getValue().withId()));
				}
			}
		}
		return changes;
	}

	/**
	 * Return the documents of a collection, each with its {@code _id}.
	 * @param collection the collection
	 * @return a snapshot
	 */
	List<Map<String, @Nullable Object>> snapshot(String collection) {
		this.lock.readLock().lock();
		try {
			Map<String, Doc> docs = this.collections.get(collection);
			if (docs == null) {
				return List.of();
			}
			List<Map<String, @Nullable Object>> result = new ArrayList<>(docs.size());
			for (Doc doc : docs.values()) {
				result.add(doc.withId());
			}
			return result;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	@Nullable Map<String, @Nullable Object> get(String collection, String id) {
		this.lock.readLock().lock();
		try {
			Map<String, Doc> docs = this.collections.get(collection);
			Doc doc = (docs != null) ? docs.get(id) : null;
			return (doc != null) ? doc.withId() : null;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	int size(String collection) {
		this.lock.readLock().lock();
		try {
			Map<String, Doc> docs = this.collections.get(collection);
			return (docs != null) ? docs.size() : 0;
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	Set<String> names() {
		this.lock.readLock().lock();
		try {
			return Set.copyOf(this.collections.keySet());
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private record Decoded(boolean added, boolean removed, String collection, String key, @Nullable Object rawId,
			Map<String, @Nullable Object> fields, List<String> cleared) {
	}

	private record Doc(@Nullable Object rawId, Map<String, @Nullable Object> fields) {

		Map<String, @Nullable Object> withId() {
			Map<String, @Nullable Object> doc = new LinkedHashMap<>(this.fields.size() + 1);
			doc.put(ID, this.rawId);
			doc.putAll(this.fields);
			return doc;
		}

	}

}
