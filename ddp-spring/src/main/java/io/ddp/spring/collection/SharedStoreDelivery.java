package io.ddp.spring.collection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.query.DdpQuery;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link DdpCollection} over a shared store (another instance, plain SQL write to
 * it too) has delivered to its feed: per id the last version, so that a write is
 * delivered once, in version order, whether the collection made it or learnt of it from
 * the store's notifications. Listens to the store: fetches the documents of other
 * writers' changes that their notices do not carry in one read per batch, and re-reads
 * what its live queries show after notifications may have been lost. Keeps the
 * {@link RecentRecords} that the collection's updates start from, and delivers a notified
 * change from them when they hold its version (the notification of this instance's own
 * write that came back before the writer delivered it) instead of fetching it.
 */
final class SharedStoreDelivery<T> implements DocumentStore.Listener {

	private final DocumentStore store;

	private final ChangeFeed<T> feed;

	private final TypedRecords<T> records;

	private final RecentRecords recent;

	// Removed documents whose version delivered stays known, at most
	private static final int MAX_TOMBSTONES = 1024;

	// Per id the last version delivered to the feed; guarded by the feed's lock. Entries
	// of present documents are replaced by later versions; entries of removed ones
	// (tombstones) beyond MAX_TOMBSTONES are dropped, oldest first
	private final Map<String, Delivered> delivered = new HashMap<>();

	// The tombstones in the order they were made, with their version
	private final ArrayDeque<Map.Entry<String, Long>> tombstones = new ArrayDeque<>();

	// The highest version of a dropped tombstone: a write of an id without an entry and
	// no newer than this may predate a removal that is no longer known
	private long forgottenUpTo = Long.MIN_VALUE;

	SharedStoreDelivery(DocumentStore store, ChangeFeed<T> feed, TypedRecords<T> records) {
		this.store = store;
		this.feed = feed;
		this.records = records;
		this.recent = new RecentRecords(store.recentDocuments());
	}

	/**
	 * Return the versions this instance wrote last, which updates start from.
	 */
	RecentRecords recent() {
		return this.recent;
	}

	/**
	 * The store's documents for a query, called under the feed's lock: what it returns
	 * counts as delivered.
	 */
	List<StoredDocument<T>> query(DdpQuery query) {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (DocumentRecord record : this.store.query(query)) {
			advanceRead(record.id(), record.version());
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
		if (last == null && present && version <= this.forgottenUpTo) {
			// Read or written before a removal whose tombstone is dropped: deliver it
			// only if it is still the document's version
			DocumentRecord now = this.store.findById(id);
			if (now == null || now.version() != version) {
				return false;
			}
		}
		return advance(id, version, present, last);
	}

	/**
	 * {@link #advance} for a version read under the feed's lock, which is current.
	 */
	private boolean advanceRead(String id, long version) {
		return advance(id, version, true, this.delivered.get(id));
	}

	private boolean advance(String id, long version, boolean present, @Nullable Delivered last) {
		boolean newer = (last == null) || version > last.version()
				|| (!present && version == last.version() && last.present());
		if (newer) {
			deliver(id, new Delivered(version, present));
		}
		return newer;
	}

	/**
	 * Record the last delivered version of an id, and drop the oldest tombstones beyond
	 * the limit.
	 */
	private void deliver(String id, Delivered delivered) {
		this.delivered.put(id, delivered);
		if (delivered.present()) {
			return;
		}
		this.tombstones.add(Map.entry(id, delivered.version()));
		while (this.tombstones.size() > MAX_TOMBSTONES) {
			Map.Entry<String, Long> oldest = this.tombstones.removeFirst();
			Delivered last = this.delivered.get(oldest.getKey());
			if (last != null && !last.present() && last.version() == oldest.getValue()) {
				this.delivered.remove(oldest.getKey());
				this.forgottenUpTo = Math.max(this.forgottenUpTo, oldest.getValue());
			}
		}
	}

	/**
	 * Return how many ids the versions delivered are kept of (under the feed's lock).
	 */
	int deliveredVersionCount() {
		return this.delivered.size();
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
	 * Apply other writers' changes: deliver what the notices carry (their bodies parsed
	 * outside the feed's lock, which writers of this instance wait for), fetch the rest
	 * in one read, and deliver what they are now.
	 */
	@Override
	public void changed(List<DocumentStore.ChangeNotice> notices) {
		for (DocumentStore.ChangeNotice notice : notices) {
			this.recent.noticed(notice.id(), notice.version(), notice.removed());
		}
		// Id to the notice of the highest version, in the order of the notices
		Map<String, DocumentStore.ChangeNotice> pending = new LinkedHashMap<>();
		boolean known = false;
		synchronized (this.feed.lock) {
			if (!this.feed.observed()) {
				// Nobody to tell; a live query that starts reads the store
				return;
			}
			for (DocumentStore.ChangeNotice notice : notices) {
				if (!delivered(notice)) {
					pending.merge(notice.id(), notice, (a, b) -> (b.version() >= a.version()) ? b : a);
				}
			}
			// No fetch for a removal, nor for this instance's own writes whose
			// notification came back before the writer delivered them (taken from what
			// it wrote, in the order its fields were written)
			for (Iterator<DocumentStore.ChangeNotice> entries = pending.values().iterator(); entries.hasNext();) {
				DocumentStore.ChangeNotice notice = entries.next();
				if (notice.removed()) {
					entries.remove();
					known |= removed(notice.id(), notice.version());
					continue;
				}
				DocumentRecord record = this.recent.get(notice.id());
				if (record != null && record.version() >= notice.version()) {
					entries.remove();
					known |= present(record);
				}
			}
		}
		if (pending.isEmpty()) {
			if (known) {
				this.feed.drain();
			}
			return;
		}
		// What the notices carry, then one read for the others
		Map<String, DocumentRecord> current = new HashMap<>();
		List<String> fetch = new ArrayList<>();
		pending.forEach((id, notice) -> {
			Supplier<DocumentRecord> carried = notice.document();
			DocumentRecord record = (carried != null) ? carried.get() : null;
			if (record != null && record.version() >= notice.version()) {
				current.put(id, record);
			}
			else {
				fetch.add(id);
			}
		});
		if (!fetch.isEmpty()) {
			for (DocumentRecord record : this.store.findAllById(fetch)) {
				current.put(record.id(), record);
			}
		}
		synchronized (this.feed.lock) {
			pending.forEach((id, notice) -> {
				DocumentRecord record = current.get(id);
				if (record != null) {
					present(record);
				}
				else {
					removed(id, notice.version());
				}
			});
		}
		this.feed.drain();
	}

	/**
	 * Deliver a present version of a document (under the feed's lock), unless a newer one
	 * was delivered.
	 * @return whether the version is delivered
	 */
	private boolean present(DocumentRecord record) {
		if (!advance(record.id(), record.version(), true)) {
			return false;
		}
		StoredDocument<T> after = this.records.typed(record);
		this.feed.enqueue(new Change<>(record.id(), after.wireId(), null, after));
		return true;
	}

	/**
	 * Deliver that a document is gone (under the feed's lock), unless this instance
	 * delivered a later write of the id since.
	 * @param version the version noticed: removed, or found gone
	 * @return whether the removal is delivered
	 */
	private boolean removed(String id, long version) {
		Delivered last = this.delivered.get(id);
		if (last == null || (last.present() && last.version() <= version)) {
			deliver(id, new Delivered((last != null) ? last.version() : version, false));
			this.feed.enqueue(new Change<>(id, DocumentIds.stringify(id), null, null));
			return true;
		}
		return false;
	}

	/**
	 * Re-read the store after changes may have been missed: deliver every current
	 * document newer than what was delivered and remove those delivered that are gone.
	 * Read under the feed's lock, as a live query that starts, so that no write of this
	 * instance slips between the read and the comparison.
	 */
	@Override
	public void resynchronize() {
		this.recent.clear();
		synchronized (this.feed.lock) {
			Map<String, DocumentRecord> current = new HashMap<>();
			for (DocumentRecord record : this.store.findAll()) {
				current.put(record.id(), record);
			}
			current.forEach((id, record) -> {
				if (advanceRead(id, record.version())) {
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
				deliver(id, new Delivered(last.version(), false));
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
