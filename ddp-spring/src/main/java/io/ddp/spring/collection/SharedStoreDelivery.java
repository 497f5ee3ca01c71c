package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.query.DdpQuery;

/**
 * What a {@link DdpCollection} over a shared store (another instance, plain SQL write to
 * it too) has delivered to its feed: per id the last version, so that a write is
 * delivered once, in version order, whether the collection made it or learnt of it from
 * the store's notifications. Listens to the store: fetches the documents of other
 * writers' changes in one read per batch, and re-reads what its live queries show after
 * notifications may have been lost.
 */
final class SharedStoreDelivery<T> implements DocumentStore.Listener {

	private final DocumentStore store;

	private final ChangeFeed<T> feed;

	private final TypedRecords<T> records;

	// Per id the last version delivered to the feed; guarded by the feed's lock
	private final Map<String, Delivered> delivered = new HashMap<>();

	SharedStoreDelivery(DocumentStore store, ChangeFeed<T> feed, TypedRecords<T> records) {
		this.store = store;
		this.feed = feed;
		this.records = records;
	}

	/**
	 * The store's documents for a query, called under the feed's lock: what it returns
	 * counts as delivered.
	 */
	List<StoredDocument<T>> query(DdpQuery query) {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (DocumentRecord record : this.store.query(query)) {
			advance(record.id(), record.version(), true);
			documents.add(this.records.typed(record));
		}
		return documents;
	}

	/**
	 * Record that a version of a document is delivered, unless a newer one was (under the
	 * feed's lock).
	 * @param present whether the version exists (else it was removed)
	 * @return whether the version is new, so that its change is to be delivered
	 */
	boolean advance(String id, long version, boolean present) {
		Delivered last = this.delivered.get(id);
		boolean newer = (last == null) || version > last.version()
				|| (!present && version == last.version() && last.present());
		if (newer) {
			this.delivered.put(id, new Delivered(version, present));
		}
		return newer;
	}

	/**
	 * Whether a notice tells nothing already delivered.
	 */
	private boolean delivered(DocumentStore.ChangeNotice notice) {
		Delivered last = this.delivered.get(notice.id());
		if (last == null) {
			return false;
		}
		if (notice.removed()) {
			return last.version() > notice.version() || (last.version() == notice.version() && !last.present());
		}
		return last.version() >= notice.version();
	}

	/**
	 * Apply other writers' changes: fetch the documents not delivered yet in one read and
	 * deliver what they are now.
	 */
	@Override
	public void changed(List<DocumentStore.ChangeNotice> notices) {
		// Id to the highest version noticed, in the order of the notices
		Map<String, Long> pending = new LinkedHashMap<>();
		synchronized (this.feed.lock) {
			if (!this.feed.observed()) {
				// Nobody to tell; a live query that starts reads the store
				return;
			}
			for (DocumentStore.ChangeNotice notice : notices) {
				if (!delivered(notice)) {
					pending.merge(notice.id(), notice.version(), Math::max);
				}
			}
		}
		if (pending.isEmpty()) {
			return;
		}
		Map<String, DocumentRecord> current = new HashMap<>();
		for (DocumentRecord record : this.store.findAllById(pending.keySet())) {
			current.put(record.id(), record);
		}
		synchronized (this.feed.lock) {
			pending.forEach((id, noticed) -> {
				DocumentRecord record = current.get(id);
				if (record != null) {
					if (advance(id, record.version(), true)) {
						StoredDocument<T> after = this.records.typed(record);
						this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
					}
				}
				else {
					// Gone: unless this instance delivered a later write of the id since
					Delivered last = this.delivered.get(id);
					if (last == null || (last.present() && last.version() <= noticed)) {
						this.delivered.put(id, new Delivered((last != null) ? last.version() : noticed, false));
						this.feed.enqueue(new Change<>(id, DocumentIds.stringify(id), null, null));
					}
				}
			});
		}
		this.feed.drain();
	}

	/**
	 * Re-read the store after changes may have been missed: deliver every current
	 * document newer than what was delivered and remove those delivered that are gone.
	 * Read under the feed's lock, as a live query that starts, so that no write of this
	 * instance slips between the read and the comparison.
	 */
	@Override
	public void resynchronize() {
		synchronized (this.feed.lock) {
			Map<String, DocumentRecord> current = new HashMap<>();
			for (DocumentRecord record : this.store.findAll()) {
				current.put(record.id(), record);
			}
			current.forEach((id, record) -> {
				if (advance(id, record.version(), true)) {
					StoredDocument<T> after = this.records.typed(record);
					this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
				}
			});
			List<String> gone = new ArrayList<>();
			this.delivered.forEach((id, last) -> {
				if (last.present() && !current.containsKey(id)) {
					gone.add(id);
				}
			});
			for (String id : gone) {
				Delivered last = Objects.requireNonNull(this.delivered.get(id));
				this.delivered.put(id, new Delivered(last.version(), false));
				this.feed.enqueue(new Change<>(id, DocumentIds.stringify(id), null, null));
			}
		}
		this.feed.drain();
	}

	/**
	 * The last version of a document delivered to the feed, and whether it exists.
	 */
	private record Delivered(long version, boolean present) {
	}

}
