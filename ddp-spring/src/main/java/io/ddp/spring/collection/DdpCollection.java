package io.ddp.spring.collection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Selector;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe collection of typed documents whose cursors publications return to keep
 * clients live (a server-side Minimongo collection). Its documents are in memory unless
 * it is given another {@link DocumentStore}, such as PostgreSQL's. Declare one as a bean
 * and use it from methods and publications: <pre class="code">
 * &#64;Bean
 * DdpCollection&lt;Task&gt; tasks(Ejson ejson, DdpMethodRegistry methods) {
 *     return new DdpCollection&lt;&gt;("tasks", Task.class, ejson)
 *         .exposeMutators(methods, AllowDenyRules.&lt;Task&gt;none().allowInsert((userId, task) -&gt; userId != null));
 * }
 * </pre>
 * <p>
 * <b>Documents.</b> Records, beans or maps, converted to EJSON fields with the
 * application's {@link Ejson} mapper. The id is a string held by the property the mapper
 * writes as {@code _id} or, when there is none, as {@code id} (so
 * {@code record Task(String id, String text)} works as is); maps use the key {@code _id}.
 * The id travels as the DDP document id, never as a field. An insert without an id gets a
 * 17-character Meteor id: inside a DDP method from the method's random stream
 * {@code /collection/<name>}, which makes it the id the Meteor client's stub generated;
 * elsewhere a random one. The collection keeps its own copy of each document, made with
 * the mapper at write time; documents it returns are that copy and must not be modified
 * (records suit best).
 * <p>
 * <b>Thread model.</b> Reads never block. Writes convert documents on the calling thread,
 * then take the collection's lock briefly to apply the change and queue it; changes are
 * then delivered to the cursors' subscriptions synchronously on the writing thread,
 * without the collection's lock, holding each subscriber's session monitor in turn. A
 * write inside a DDP method has therefore sent its data messages when it returns, before
 * the method's {@code updated}; when writes race, the thread already delivering delivers
 * the others' changes in order, and the method's write fence holds its {@code updated}
 * until they are sent. See {@link ChangeFeed} for the cost of a write.
 * {@link #update(String, UnaryOperator)} runs its function without the lock and retries
 * when the document changed meanwhile.
 * <p>
 * <b>Shared stores.</b> With a store other writers change too (another instance, plain
 * SQL), a write commits to the store first, then the collection delivers it as above;
 * writes of the same document are ordered by their version, so a version older than one
 * already delivered is dropped. Writes made elsewhere arrive from the store's
 * {@link DocumentStore#listen listener}, which the collection answers by fetching the
 * documents it has not delivered yet, in one read per batch.
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class DdpCollection<T> {

	private final String name;

	private final DocumentCodec<T> codec;

	private final boolean mapDocuments;

	private final DocumentStore store;

	// Whether writes go to the store under the feed's lock, which orders them (in memory)
	private final boolean local;

	// Removed documents whose version delivered stays known, at most
	private static final int MAX_TOMBSTONES = 1024;

	// For a shared store, per id the last version delivered to the feed; guarded by the
	// feed's lock. Entries of present documents are replaced by later versions; entries
	// of removed ones (tombstones) beyond MAX_TOMBSTONES are dropped, oldest first
	private final Map<String, Delivered> delivered = new HashMap<>();

	// The tombstones in the order they were made, with their version
	private final ArrayDeque<Map.Entry<String, Long>> tombstones = new ArrayDeque<>();

	// The highest version of a dropped tombstone: a write of an id without an entry and
	// no newer than this may predate a removal that is no longer known
	private long forgottenUpTo = Long.MIN_VALUE;

	private final ChangeFeed<T> feed;

	private final Runnable stopListening;

	/**
	 * Create an empty collection.
	 * @param name the collection name clients see; its mutator methods are
	 * {@code /<name>/insert}, {@code /<name>/update} and {@code /<name>/remove}
	 * @param type the document type
	 * @param ejson converts documents to fields, typically the application's bean
	 * @throws IllegalArgumentException if the type has no id property
	 */
	public DdpCollection(String name, Class<T> type, Ejson ejson) {
		this(name, type, ejson, new InMemoryDocumentStore());
	}

	/**
	 * Create a collection whose documents a given store keeps.
	 * @param name the collection name clients see
	 * @param type the document type
	 * @param ejson converts documents to fields
	 * @param store keeps the documents; one store per collection
	 * @throws IllegalArgumentException if the type has no id property
	 */
	public DdpCollection(String name, Class<T> type, Ejson ejson, DocumentStore store) {
		this.codec = new DocumentCodec<>(type, ejson);
		this.mapDocuments = Map.class.isAssignableFrom(type);
		this.store = Objects.requireNonNull(store, "'store' must not be null");
		this.local = store.isLocal();
		this.feed = new ChangeFeed<>(name, this.codec,
				this.local ? DocumentSource.scanning(this::loadAll) : this::queryStore);
		this.name = name;
		this.stopListening = this.local ? () -> {
		} : store.listen(new StoreListener());
	}

	/**
	 * Create an empty collection of schemaless documents, as maps whose key {@code _id}
	 * holds the id.
	 * @param name the collection name
	 * @param ejson converts values to EJSON
	 * @return the collection
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static DdpCollection<Map<String, @Nullable Object>> ofMaps(String name, Ejson ejson) {
		return new DdpCollection<>(name, (Class) Map.class, ejson);
	}

	/**
	 * Create a collection of schemaless documents kept by a given store.
	 * @param name the collection name
	 * @param ejson converts values to EJSON
	 * @param store keeps the documents
	 * @return the collection
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static DdpCollection<Map<String, @Nullable Object>> ofMaps(String name, Ejson ejson, DocumentStore store) {
		return new DdpCollection<>(name, (Class) Map.class, ejson, store);
	}

	/**
	 * Return the collection name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the document type.
	 * @return the type
	 */
	public Class<T> type() {
		return this.codec.type();
	}

	/**
	 * Insert a document.
	 * @param document the document; without an id one is generated
	 * @return the document's id
	 * @throws DuplicateDocumentException if a document with the document's own id exists
	 * @throws DdpException (409) if a generated id exists, which happens only when a
	 * client repeats a method's {@code randomSeed}
	 * @throws IllegalArgumentException if the document does not convert or its id is no
	 * string
	 */
	public String insert(T document) {
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

	/**
	 * Insert a document, or replace the one with the same id.
	 * @param document the document; without an id it is inserted with a new one
	 * @return the document's id
	 */
	public String upsert(T document) {
		DocumentCodec.Encoded encoded = this.codec.encode(document);
		String id = encoded.id();
		if (id == null) {
			id = newId();
			insertNew(id, encoded.fields());
			return id;
		}
		T value = this.codec.decode(id, encoded.fields());
		while (true) {
			DocumentRecord current = this.store.findById(id);
			if (current == null) {
				try {
					insert(id, encoded.fields(), false);
					return id;
				}
				catch (DuplicateDocumentException ex) {
					continue;
				}
			}
			if (commit(current, value, encoded.fields())) {
				return id;
			}
		}
	}

	/**
	 * Replace a document with a new version computed from the current one. The function
	 * runs without the collection's lock, again if the document changed meanwhile.
	 * @param id the document id
	 * @param change computes the new version; its id must be the same or absent
	 * @return whether the document existed
	 * @throws IllegalArgumentException if the new version changes the id or does not
	 * convert
	 */
	public boolean update(String id, UnaryOperator<T> change) {
		Objects.requireNonNull(change, "'change' must not be null");
		while (true) {
			DocumentRecord current = this.store.findById(id);
			if (current == null) {
				return false;
			}
			DocumentCodec.Encoded encoded = this.codec.encode(Objects
				.requireNonNull(change.apply(typed(current).value()), "An updated document must not be null"));
			if (encoded.id() != null && !encoded.id().equals(id)) {
				throw new IllegalArgumentException("An update must not change the document id");
			}
			if (commit(current, this.codec.decode(id, encoded.fields()), encoded.fields())) {
				return true;
			}
		}
	}

	/**
	 * Update a document with a Mongo modifier: {@code $set}, {@code $unset},
	 * {@code $inc}, {@code $push} and {@code $addToSet} (optionally with {@code $each}),
	 * {@code $pull} (values equal to the argument, or sub-documents with its fields),
	 * {@code $pullAll}, {@code $pushAll} and {@code $pop}, on dotted paths; an update
	 * without operators replaces the document's fields.
	 * @param id the document id
	 * @param modifier the modifier, with EJSON values
	 * @return whether the document existed
	 * @throws IllegalArgumentException if the modifier cannot be applied, with
	 * Minimongo's wording, or the result does not convert to the document type
	 */
	public boolean update(String id, Map<String, ? extends @Nullable Object> modifier) {
		Objects.requireNonNull(modifier, "'modifier' must not be null");
		while (true) {
			DocumentRecord current = this.store.findById(id);
			if (current == null) {
				return false;
			}
			@SuppressWarnings("unchecked")
			Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) Ejson
				.clone(current.fields().asMap());
			Modifiers.apply(Objects.requireNonNull(fields), modifier, this.codec.idProperty());
			T value = this.codec.decode(id, fields);
			if (!this.mapDocuments) {
				// What the type keeps of the result is the new version
				fields = this.codec.encode(value).fields();
			}
			if (commit(current, value, fields)) {
				return true;
			}
		}
	}

	/**
	 * Remove a document.
	 * @param id the document id
	 * @return whether the document existed
	 */
	public boolean remove(String id) {
		DocumentRecord previous;
		if (this.local) {
			synchronized (this.feed.lock) {
				previous = this.store.remove(id);
				if (previous != null) {
					StoredDocument<T> before = typed(previous);
					this.feed.enqueue(new Change<>(id, before.wireId(), before, null));
				}
			}
		}
		else {
			previous = this.store.remove(id);
			if (previous != null) {
				StoredDocument<T> before = typed(previous);
				synchronized (this.feed.lock) {
					if (advance(id, previous.version(), false)) {
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
	 * Return a document.
	 * @param id the document id
	 * @return the document, or empty if there is none with that id
	 */
	public Optional<T> findById(String id) {
		DocumentRecord document = this.store.findById(id);
		return (document != null) ? Optional.of(typed(document).value()) : Optional.empty();
	}

	/**
	 * Return a cursor over every document.
	 * @return the cursor
	 */
	public DdpCursor<T> find() {
		return this.feed.find();
	}

	/**
	 * Return a cursor over the documents a query selects, in its order, skipped and
	 * limited: a live window when it skips or limits (see {@link DdpCursor}).
	 * Subscriptions to cursors of equal queries share one live query.
	 * @param query the query, for example
	 * {@code DdpQuery.where(Criteria.where("done").is(false)).sort(Sort.by("createdAt").descending()).limit(50)}
	 * @return the cursor
	 */
	public DdpCursor<T> find(DdpQuery query) {
		return this.feed.find(query);
	}

	/**
	 * Return a cursor over the documents a selector matches, for example
	 * {@code Selector.parse(Map.of("owner", userId))}.
	 * @param selector the selector
	 * @return the cursor
	 */
	public DdpCursor<T> find(Selector selector) {
		return this.feed.find(selector);
	}

	/**
	 * Return a cursor over the documents criteria match, for example
	 * {@code find(Criteria.where("done").is(false).and("owner").is(userId))}.
	 * @param criteria the criteria
	 * @return the cursor
	 */
	public DdpCursor<T> find(Criteria criteria) {
		return this.feed.find(criteria);
	}

	/**
	 * Return a cursor over the documents that pass a Java filter, the escape hatch for
	 * what a {@link Selector} cannot say; see {@link ChangeFeed#find(Predicate)} for when
	 * cursors share their work. Other stores than memory may have to read every document
	 * to serve it.
	 * @param filter selects documents; must be thread-safe and quick
	 * @return the cursor
	 */
	public DdpCursor<T> find(Predicate<? super T> filter) {
		return this.feed.find(filter);
	}

	/**
	 * Return a cursor over the documents that pass a filter, shared with every cursor of
	 * an equal key; see {@link ChangeFeed#find(Object, Predicate)}.
	 * @param key identifies the selection, for example {@code "owner:" + userId}
	 * @param filter selects documents
	 * @return the cursor
	 */
	public DdpCursor<T> find(Object key, Predicate<? super T> filter) {
		return this.feed.find(key, filter);
	}

	/**
	 * Return the number of documents.
	 * @return the count
	 */
	public long count() {
		return this.store.count();
	}

	/**
	 * Return the store that keeps this collection's documents.
	 * @return the store
	 */
	public DocumentStore store() {
		return this.store;
	}

	/**
	 * Stop following the changes other writers make to a shared store; the collection's
	 * own writes keep working. Nothing to do for the in-memory store.
	 */
	public void close() {
		this.stopListening.run();
	}

	/**
	 * Return the number of live observers of this collection's published cursors, one per
	 * subscription that publishes one; zero once every subscriber has gone.
	 * @return the count
	 */
	public int observerCount() {
		return this.feed.observerCount();
	}

	/**
	 * Be told of every change from now on.
	 * @param listener the listener
	 * @return removes the listener
	 */
	public Runnable addListener(DdpCollectionListener<? super T> listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		return this.feed.addListener((change) -> {
			StoredDocument<T> before = change.before();
			StoredDocument<T> after = change.after();
			if (before == null && after != null) {
				listener.inserted(change.id(), after.value());
			}
			else if (before != null && after != null) {
				listener.changed(change.id(), after.value(), before.value());
			}
			else if (before != null) {
				listener.removed(change.id(), before.value());
			}
		});
	}

	/**
	 * Let clients write to this collection with Meteor's mutator methods
	 * ({@code Tasks.insert(...)} on a Meteor client): registers {@code /<name>/insert},
	 * {@code /<name>/update} and {@code /<name>/remove}, which take only id selectors and
	 * obey the given rules.
	 * @param registry the method registry, typically the server's bean
	 * @param rules who may write; {@link AllowDenyRules#none()} refuses everything
	 * @return this collection
	 * @throws IllegalStateException if a method of those names exists
	 */
	public DdpCollection<T> exposeMutators(DdpMethodRegistry registry, AllowDenyRules<T> rules) {
		new CollectionMutators<>(this, rules).register(registry);
		return this;
	}

	@Override
	public String toString() {
		return "DdpCollection[" + this.name + "]";
	}

	// ---- for the mutator methods

	DocumentCodec<T> codec() {
		return this.codec;
	}

	ChangeFeed<T> feed() {
		return this.feed;
	}

	@Nullable StoredDocument<T> stored(String id) {
		DocumentRecord record = this.store.findById(id);
		return (record != null) ? typed(record) : null;
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
		try {
			if (this.local) {
				synchronized (this.feed.lock) {
					StoredDocument<T> after = attach(this.store.insert(id, snapshot), null, value);
					this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
				}
			}
			else {
				DocumentRecord record = this.store.insert(id, snapshot);
				StoredDocument<T> after = attach(record, null, value);
				synchronized (this.feed.lock) {
					if (advance(id, record.version(), true)) {
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
		StoredDocument<T> before = typed(current);
		DocumentSnapshot snapshot = snapshot(fields);
		if (this.local) {
			synchronized (this.feed.lock) {
				DocumentRecord next = this.store.replace(current, snapshot);
				if (next == null) {
					return false;
				}
				// The same id instances for every version: merge boxes keep the first one
				StoredDocument<T> after = attach(next, before.wireId(), value);
				this.feed.enqueue(new Change<>(current.id(), before.wireId(), before, after));
			}
		}
		else {
			DocumentRecord next = this.store.replace(current, snapshot);
			if (next == null) {
				return false;
			}
			StoredDocument<T> after = attach(next, before.wireId(), value);
			synchronized (this.feed.lock) {
				if (advance(current.id(), next.version(), true)) {
					this.feed.enqueue(new Change<>(current.id(), before.wireId(), before, after));
				}
			}
		}
		this.feed.drain();
		return true;
	}

	// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type argument
	// (uber/NullAway#1126)
	@SuppressWarnings("NullAway")
	private static DocumentSnapshot snapshot(Map<String, @Nullable Object> fields) {
		return DocumentSnapshot.of(fields);
	}

	/**
	 * Return the typed document of a record, decoded once per record instance.
	 */
	@SuppressWarnings("unchecked")
	private StoredDocument<T> typed(DocumentRecord record) {
		Object decoded = record.decoded;
		if (decoded != null) {
			return (StoredDocument<T>) decoded;
		}
		StoredDocument<T> document = new StoredDocument<>(record.id(), DocumentIds.stringify(record.id()),
				this.codec.decode(record.id(), record.fields().asMap()), record.fields());
		record.decoded = document;
		return document;
	}

	private StoredDocument<T> attach(DocumentRecord record, @Nullable String wireId, T value) {
		StoredDocument<T> document = new StoredDocument<>(record.id(),
				(wireId != null) ? wireId : DocumentIds.stringify(record.id()), value, record.fields());
		record.decoded = document;
		return document;
	}

	/**
	 * The in-memory store's documents, for the scanning source.
	 */
	private Iterable<StoredDocument<T>> loadAll() {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (DocumentRecord record : this.store.findAll()) {
			documents.add(typed(record));
		}
		return documents;
	}

	/**
	 * A shared store's documents for a query, called under the feed's lock: what it
	 * returns counts as delivered.
	 */
	private List<StoredDocument<T>> queryStore(DdpQuery query) {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (DocumentRecord record : this.store.query(query)) {
			advanceRead(record.id(), record.version());
			documents.add(typed(record));
		}
		return documents;
	}

	/**
	 * Record that a version of a document is delivered, unless a newer one was (under the
	 * feed's lock).
	 * @param present whether the version exists (else it was removed)
	 * @return whether the version is new, so that its change is to be delivered
	 */
	private boolean advance(String id, long version, boolean present) {
		Delivered last = this.delivered.get(id);
		if (last == null && present && version <= this.forgottenUpTo) {
			// Read or written before a removal whose tombstone is dropped: deliver it
			// only if it is still the document's version
			DocumentRecord now = this.store.findById(id);
			if (now == null || now.version() != version) {
				return false;
			}
		}
		return advanceRead(id, version, present, last);
	}

	/**
	 * {@link #advance} for a version read under the feed's lock, which is current.
	 */
	private boolean advanceRead(String id, long version) {
		return advanceRead(id, version, true, this.delivered.get(id));
	}

	private boolean advanceRead(String id, long version, boolean present, @Nullable Delivered last) {
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
	 * Return how many ids the versions delivered are kept of.
	 */
	int deliveredVersionCount() {
		synchronized (this.feed.lock) {
			return this.delivered.size();
		}
	}

	/**
	 * Whether a notice tells nothing this collection has not delivered.
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
	private void changedElsewhere(List<DocumentStore.ChangeNotice> notices) {
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
						StoredDocument<T> after = typed(record);
						this.feed.enqueue(new Change<>(id, after.wireId(), null, after));
					}
				}
				else {
					// Gone: unless this instance delivered a later write of the id since
					Delivered last = this.delivered.get(id);
					if (last == null || (last.present() && last.version() <= noticed)) {
						deliver(id, new Delivered((last != null) ? last.version() : noticed, false));
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
	private void resynchronize() {
		synchronized (this.feed.lock) {
			Map<String, DocumentRecord> current = new HashMap<>();
			for (DocumentRecord record : this.store.findAll()) {
				current.put(record.id(), record);
			}
			current.forEach((id, record) -> {
				if (advanceRead(id, record.version())) {
					StoredDocument<T> after = typed(record);
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

	private final class StoreListener implements DocumentStore.Listener {

		@Override
		public void changed(List<DocumentStore.ChangeNotice> notices) {
			changedElsewhere(notices);
		}

		@Override
		public void resynchronize() {
			DdpCollection.this.resynchronize();
		}

	}

}
