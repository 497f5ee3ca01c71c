package io.ddp.spring.collection;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The versions of a shared store's documents that this instance wrote or read last, so
 * that an update starts from one of them instead of reading the store first: one round
 * trip per update instead of two when nobody else wrote the document since. A record here
 * may be stale (another instance wrote since and its notification has not arrived yet);
 * the update's compare-and-set on the version then fails and the update reads the store
 * and tries again, so atomicity per document does not depend on it. Notifications of
 * newer versions drop entries, so that a document written elsewhere costs no failed
 * compare-and-set in the common case.
 * <p>
 * Bounded: the most recently written or read documents, as many as the store's
 * {@link DocumentStore#recentDocuments()}, oldest dropped first. Thread-safe: writers
 * (method threads) and the store's notification thread call it; every method holds the
 * instance's lock briefly.
 */
final class RecentRecords {

	// Guarded by this; in the order the entries were last put
	private final Map<String, DocumentRecord> records = new LinkedHashMap<>();

	private final int capacity;

	RecentRecords(int capacity) {
		if (capacity < 0) {
			throw new IllegalArgumentException("The capacity must not be negative, was " + capacity);
		}
		this.capacity = capacity;
	}

	synchronized @Nullable DocumentRecord get(String id) {
		return this.records.get(id);
	}

	/**
	 * Keep a version of a document, unless a newer one is kept.
	 */
	synchronized void put(DocumentRecord record) {
		DocumentRecord kept = this.records.remove(record.id());
		this.records.put(record.id(), (kept != null && kept.version() > record.version()) ? kept : record);
		if (this.records.size() > this.capacity) {
			Iterator<DocumentRecord> oldest = this.records.values().iterator();
			oldest.next();
			oldest.remove();
		}
	}

	/**
	 * Forget a document (it is gone, or what is kept of it proved stale).
	 */
	synchronized void remove(String id) {
		this.records.remove(id);
	}

	/**
	 * Forget a version that proved stale, unless a newer one was kept since.
	 */
	synchronized void removeStale(DocumentRecord stale) {
		DocumentRecord kept = this.records.get(stale.id());
		if (kept != null && kept.version() <= stale.version()) {
			this.records.remove(stale.id());
		}
	}

	/**
	 * A write of a document became known: forget an older version of it.
	 * @param version the version written, or removed
	 * @param removed whether the write removed the document
	 */
	synchronized void noticed(String id, long version, boolean removed) {
		DocumentRecord kept = this.records.get(id);
		if (kept != null && (kept.version() < version || (removed && kept.version() == version))) {
			this.records.remove(id);
		}
	}

	/**
	 * Forget everything: writes may have been missed.
	 */
	synchronized void clear() {
		this.records.clear();
	}

	synchronized int size() {
		return this.records.size();
	}

}
