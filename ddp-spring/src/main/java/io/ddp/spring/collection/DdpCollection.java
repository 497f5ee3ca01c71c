package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Selector;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.method.DdpMethodRegistry;
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

	private final DocumentStore store;

	private final TypedRecords<T> records;

	// The delivery bookkeeping of a shared store, null for a local one
	private final @Nullable SharedStoreDelivery<T> shared;

	private final ChangeFeed<T> feed;

	private final DocumentWrites<T> writes;

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
		this.name = name;
		this.codec = new DocumentCodec<>(type, ejson);
		this.store = Objects.requireNonNull(store, "'store' must not be null");
		this.records = new TypedRecords<>(this.codec);
		if (store.isLocal()) {
			this.feed = new ChangeFeed<>(name, this.codec, DocumentSource.scanning(this::loadAll));
			this.writes = new DocumentWrites<>(name, this.codec, store, this.feed, this.records, null);
			this.stopListening = () -> {
			};
			this.shared = null;
		}
		else {
			// The feed queries the store through the delivery, which records what it read
			SharedStore<T> shared = new SharedStore<>();
			this.feed = new ChangeFeed<>(name, this.codec, shared::query);
			shared.delivery = new SharedStoreDelivery<>(store, this.feed, this.records);
			this.writes = new DocumentWrites<>(name, this.codec, store, this.feed, this.records, shared.delivery);
			this.stopListening = store.listen(shared.delivery);
			this.shared = shared.delivery;
		}
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
	 * @throws io.ddp.spring.protocol.DdpException (409) if a generated id exists, which
	 * happens only when a client repeats a method's {@code randomSeed}
	 * @throws IllegalArgumentException if the document does not convert or its id is no
	 * string
	 */
	public String insert(T document) {
		return this.writes.insert(document);
	}

	/**
	 * Insert a document, or replace the one with the same id.
	 * @param document the document; without an id it is inserted with a new one
	 * @return the document's id
	 */
	public String upsert(T document) {
		return this.writes.upsert(document);
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
		return this.writes.update(id, Objects.requireNonNull(change, "'change' must not be null"));
	}

	/**
	 * Update a document with a Mongo modifier: {@code $set}, {@code $unset},
	 * {@code $inc}, {@code $min}, {@code $max}, {@code $currentDate}, {@code $rename},
	 * {@code $push} (with {@code $each}, {@code $position}, {@code $sort},
	 * {@code $slice}), {@code $addToSet} (optionally with {@code $each}), {@code $pull}
	 * (values equal to the argument, or those a condition selects: {@code {$gte: 6}},
	 * {@code {qty: {$gt: 2}}}), {@code $pullAll}, {@code $pushAll}, {@code $pop} and
	 * {@code $setOnInsert} (ignored: no upsert), on dotted paths; an update without
	 * operators replaces the document's fields.
	 * @param id the document id
	 * @param modifier the modifier, with EJSON values
	 * @return whether the document existed
	 * @throws IllegalArgumentException if the modifier cannot be applied, with
	 * Minimongo's wording, or the result does not convert to the document type
	 */
	public boolean update(String id, Map<String, ? extends @Nullable Object> modifier) {
		return this.writes.update(id, Objects.requireNonNull(modifier, "'modifier' must not be null"));
	}

	/**
	 * Remove a document.
	 * @param id the document id
	 * @return whether the document existed
	 */
	public boolean remove(String id) {
		return this.writes.remove(id);
	}

	/**
	 * Return a document.
	 * @param id the document id
	 * @return the document, or empty if there is none with that id
	 */
	public Optional<T> findById(String id) {
		DocumentRecord document = this.store.findById(id);
		return (document != null) ? Optional.of(this.records.typed(document).value()) : Optional.empty();
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
	 * Make cursors with a given sort quick (Meteor's {@code createIndex}): on PostgreSQL,
	 * create where missing the index on the sort's key that serves sorted, limited
	 * queries and the refills of live windows; in memory, nothing (documents are sorted
	 * in memory). Idempotent, and safe when several instances call it.
	 * @param sort the sort, for example {@code Sort.by("createdAt").descending()}
	 */
	public void createIndex(Sort sort) {
		this.store.createIndex(Objects.requireNonNull(sort, "'sort' must not be null"));
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
		return (record != null) ? this.records.typed(record) : null;
	}

	/**
	 * Return a new document id: from the current DDP method's random stream for this
	 * collection, as Meteor's {@code _makeNewID}, else a random one.
	 */
	String newId() {
		return this.writes.newId();
	}

	/**
	 * Insert fields under an id.
	 * @param external whether the fields come from outside the document type (a client),
	 * so that what the type keeps of them is stored
	 */
	void insert(String id, Map<String, @Nullable Object> fields, boolean external) {
		this.writes.insert(id, fields, external);
	}

	/**
	 * The in-memory store's documents, for the scanning source.
	 */
	private Iterable<StoredDocument<T>> loadAll() {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (DocumentRecord record : this.store.findAll()) {
			documents.add(this.records.typed(record));
		}
		return documents;
	}

	/**
	 * Return how many ids the versions delivered are kept of (0 for a local store).
	 */
	int deliveredVersionCount() {
		synchronized (this.feed.lock) {
			return (this.shared != null) ? this.shared.deliveredVersionCount() : 0;
		}
	}

	/**
	 * Return how many documents' versions are kept for updates (0 for a local store).
	 */
	int recentDocumentCount() {
		SharedStoreDelivery<T> shared = this.shared;
		return (shared != null) ? shared.recent().size() : 0;
	}

	/**
	 * The delivery of a shared store, which needs the feed that queries through it.
	 */
	private static final class SharedStore<T> {

		private @Nullable SharedStoreDelivery<T> delivery;

		List<StoredDocument<T>> query(DdpQuery query) {
			return Objects.requireNonNull(this.delivery, "delivery").query(query);
		}

	}

}
