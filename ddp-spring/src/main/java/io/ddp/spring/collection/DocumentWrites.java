package io.ddp.spring.collection;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The write path of a {@link DdpCollection}: converts documents, writes them to the store
 * with a compare-and-set on the version (retrying when another writer came first), and
 * queues each committed change on the feed, then delivers it. With the in-memory store
 * the write happens under the feed's lock, which orders writes; with a shared store it
 * commits first and is delivered only if its version is newer than what
 * {@link SharedStoreDelivery} has delivered. With a shared store an update starts from
 * the version this instance wrote last when it has it ({@link RecentRecords}), so that it
 * costs the compare-and-set alone, and reads the store only when that version proves
 * stale. Runs on the caller's thread (a DDP method's).
 */
final class DocumentWrites<T> {

	private final String name;

	private final DocumentCodec<T> codec;

	private final boolean mapDocuments;

	private final DocumentStore store;

	private final ChangeFeed<T> feed;

	private final TypedRecords<T> records;

	// null for the in-memory store, whose writes go to the store under the feed's lock
	private final @Nullable SharedStoreDelivery<T> shared;

	DocumentWrites(String name, DocumentCodec<T> codec, DocumentStore store, ChangeFeed<T> feed,
			TypedRecords<T> records, @Nullable SharedStoreDelivery<T> shared) {
		this.name = name;
		this.codec = codec;
		this.mapDocuments = Map.class.isAssignableFrom(codec.type());
		this.store = store;
		this.feed = feed;
		this.records = records;
		this.shared = shared;
	}

	String insert(T document) {
		DocumentCodec.Encoded encoded = this.codec.encode(document);
		if (encoded.id() != null) {
			insert(encoded.id(), encoded.fields(), false);
			return encoded.id();
		}
		String id = newId();
		insertNew(id, encoded.fields());
		return id;
	}

	// A generated id that exists was drawn from a method's randomSeed that a client sent
	// twice: the client's doing, so a client-safe 409 as for Meteor's mutators, not a
	// 500.
	private void insertNew(String id, Map<String, @Nullable Object> fields) {
		try {
			insert(id, fields, false);
		}
		catch (DuplicateDocumentException ex) {
			throw new DdpException(409, "Duplicate _id '" + id + "'", null, ex);
		}
	}

	String upsert(T document) {
		DocumentCodec.Encoded encoded = this.codec.encode(document);
		String id = encoded.id();
		if (id == null) {
			id = newId();
			insertNew(id, encoded.fields());
			return id;
		}
		String existing = id;
		T value = this.codec.decode(id, encoded.fields());
		compareAndSet(id, (current, kept) -> new Next<>(value, encoded.fields()), () -> {
			try {
				insert(existing, encoded.fields(), false);
				return true;
			}
			catch (DuplicateDocumentException ex) {
				// Inserted meanwhile: update it
				return null;
			}
		});
		return id;
	}

	boolean update(String id, UnaryOperator<T> change) {
		return compareAndSet(id, (current, kept) -> {
			// A kept version's typed document went to observers: the function gets a copy
			// it may change in place
			T start = kept ? this.codec.decode(id, current.fields().asMap()) : this.records.typed(current).value();
			DocumentCodec.Encoded encoded = this.codec
				.encode(Objects.requireNonNull(change.apply(start), "An updated document must not be null"));
			if (encoded.id() != null && !encoded.id().equals(id)) {
				throw new IllegalArgumentException("An update must not change the document id");
			}
			return new Next<>(this.codec.decode(id, encoded.fields()), encoded.fields());
		}, () -> false);
	}

	boolean update(String id, Map<String, ? extends @Nullable Object> modifier) {
		return compareAndSet(id, (current, kept) -> {
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) Ejson
				.clone(current.fields().asMap());
			Modifiers.apply(Objects.requireNonNull(fields), modifier, this.codec.idProperty());
			T value = this.codec.decode(id, fields);
			// What the type keeps of the result is the new version
			return new Next<>(value, this.mapDocuments ? fields : this.codec.encode(value).fields());
		}, () -> false);
	}

	/**
	 * Write a new version of a document with a compare-and-set against the version it was
	 * made from: first the version this instance kept, if any, then what the store holds,
	 * read again each time another writer came first.
	 * @param next makes the new version from the current one ({@code kept}: whether that
	 * is the version this instance kept rather than one just read)
	 * @param missing runs when the store has no such document: returns the result, or
	 * {@code null} to read the store again
	 * @return whether the document was written, or {@code missing}'s result
	 */
	private boolean compareAndSet(String id, BiFunction<DocumentRecord, Boolean, Next<T>> next,
			Supplier<@Nullable Boolean> missing) {
		DocumentRecord current = recent(id);
		boolean kept = current != null;
		while (true) {
			if (current == null) {
				current = this.store.findById(id);
				if (current == null) {
					Boolean result = missing.get();
					if (result != null) {
						return result;
					}
					continue;
				}
			}
			Next<T> version = next.apply(current, kept);
			if (commit(current, version.value(), version.fields())) {
				return true;
			}
			current = stale(current);
			kept = false;
		}
	}

	/**
	 * Return the version of a document this instance wrote last, if it is kept, which may
	 * be stale; always {@code null} with the in-memory store.
	 */
	private @Nullable DocumentRecord recent(String id) {
		SharedStoreDelivery<T> shared = this.shared;
		return (shared != null) ? shared.recent().get(id) : null;
	}

	/**
	 * A write from a version failed its compare-and-set: forget the version, and return
	 * {@code null} so that the next attempt reads the store.
	 */
	private @Nullable DocumentRecord stale(DocumentRecord current) {
		SharedStoreDelivery<T> shared = this.shared;
		if (shared != null) {
			shared.recent().removeStale(current);
		}
		return null;
	}

	boolean remove(String id) {
		DocumentRecord previous;
		SharedStoreDelivery<T> shared = this.shared;
		if (shared == null) {
			synchronized (this.feed.lock) {
				previous = this.store.remove(id);
				if (previous != null) {
					StoredDocument<T> before = this.records.typed(previous);
					this.feed.enqueue(new Change<>(id, before.wireId(), before, null));
				}
			}
		}
		else {
			previous = this.store.remove(id);
			shared.recent().remove(id);
			if (previous != null) {
				StoredDocument<T> before = this.records.typed(previous);
				synchronized (this.feed.lock) {
					if (shared.advance(id, previous.version(), false)) {
						this.feed.enqueue(new Change<>(id, before.wireId(), before, null));
					}
				}
			}
		}
		if (previous == null) {
			return false;
		}
		this.feed.drain();
		return true;
	}

	/**
	 * Return a new document id: from the current DDP method's random stream for this
	 * collection, as Meteor's {@code _makeNewID}, else a random one.
	 */
	String newId() {
		DdpMethodInvocation invocation = DdpMethodInvocation.current();
		return (invocation != null) ? invocation.randomStream("/collection/" + this.name).id()
				: MeteorRandom.secure().id();
	}

	/**
	 * Insert fields under an id.
	 * @param external whether the fields come from outside the document type (a client),
	 * so that what the type keeps of them is stored
	 */
	void insert(String id, Map<String, @Nullable Object> fields, boolean external) {
		T value = this.codec.decode(id, fields);
		if (external && !this.mapDocuments) {
			fields = this.codec.encode(value).fields();
		}
		DocumentSnapshot snapshot = snapshot(fields);
		SharedStoreDelivery<T> shared = this.shared;
		try {
			if (shared == null) {
				synchronized (this.feed.lock) {
					StoredDocument<T> after = this.records.attach(this.store.insert(id, snapshot), null, value);
					this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
				}
			}
			else {
				DocumentRecord record = this.store.insert(id, snapshot);
				StoredDocument<T> after = this.records.attach(record, null, value);
				shared.recent().put(record);
				synchronized (this.feed.lock) {
					if (shared.advance(id, record.version(), true)) {
						this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
					}
				}
			}
		}
		catch (DuplicateDocumentException ex) {
			throw new DuplicateDocumentException(this.name, id);
		}
		this.feed.drain();
	}

	/**
	 * Replace {@code current} with a new version, unless another write replaced it first.
	 * @return whether the document was still {@code current} (then it is updated, or left
	 * alone when its fields did not change)
	 */
	private boolean commit(DocumentRecord current, T value, Map<String, @Nullable Object> fields) {
		if (Multiplexer.sameFields(current.fields(), fields)) {
			DocumentRecord now = this.store.findById(current.id());
			return now != null && now.version() == current.version();
		}
		StoredDocument<T> before = this.records.typed(current);
		DocumentSnapshot snapshot = snapshot(fields);
		SharedStoreDelivery<T> shared = this.shared;
		if (shared == null) {
			synchronized (this.feed.lock) {
				DocumentRecord next = this.store.replace(current, snapshot);
				if (next == null) {
					return false;
				}
				// The same id instances for every version: merge boxes keep the first one
				StoredDocument<T> after = this.records.attach(next, before.wireId(), value);
				this.feed.enqueue(new Change<>(current.id(), before.wireId(), before, after));
			}
		}
		else {
			DocumentRecord next = this.store.replace(current, snapshot);
			if (next == null) {
				return false;
			}
			StoredDocument<T> after = this.records.attach(next, before.wireId(), value);
			shared.recent().put(next);
			synchronized (this.feed.lock) {
				if (shared.advance(current.id(), next.version(), true)) {
					this.feed.enqueue(new Change<>(current.id(), before.wireId(), before, after));
				}
			}
		}
		this.feed.drain();
		return true;
	}

	/**
	 * A new version of a document: its typed value and its fields.
	 */
	private record Next<T>(T value, Map<String, @Nullable Object> fields) {
	}

	// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type argument
	// (uber/NullAway#1126)
	@SuppressWarnings("NullAway")
	private static DocumentSnapshot snapshot(Map<String, @Nullable Object> fields) {
		return DocumentSnapshot.of(fields);
	}

}
