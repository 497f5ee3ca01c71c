package io.ddp.spring.collection;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.DdpMethodRegistry;
import org.jspecify.annotations.Nullable;

/**
 * A thread-safe in-memory collection of typed documents whose cursors publications return
 * to keep clients live (a server-side Minimongo collection). Declare one as a bean and
 * use it from methods and publications: <pre class="code">
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
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class DdpCollection<T> {

	private final String name;

	private final DocumentCodec<T> codec;

	private final boolean mapDocuments;

	// Written under the feed's lock, read without
	private final Map<String, StoredDocument<T>> documents = new ConcurrentHashMap<>();

	private final ChangeFeed<T> feed;

	/**
	 * Create an empty collection.
	 * @param name the collection name clients see; its mutator methods are
	 * {@code /<name>/insert}, {@code /<name>/update} and {@code /<name>/remove}
	 * @param type the document type
	 * @param ejson converts documents to fields, typically the application's bean
	 * @throws IllegalArgumentException if the type has no id property
	 */
	public DdpCollection(String name, Class<T> type, Ejson ejson) {
		this.codec = new DocumentCodec<>(type, ejson);
		this.mapDocuments = Map.class.isAssignableFrom(type);
		this.feed = new ChangeFeed<>(name, this.codec, DocumentSource.scanning(this.documents::values));
		this.name = name;
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
			StoredDocument<T> current = this.documents.get(id);
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
			StoredDocument<T> current = this.documents.get(id);
			if (current == null) {
				return false;
			}
			DocumentCodec.Encoded encoded = this.codec
				.encode(Objects.requireNonNull(change.apply(current.value()), "An updated document must not be null"));
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
			StoredDocument<T> current = this.documents.get(id);
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
		synchronized (this.feed.lock) {
			StoredDocument<T> previous = this.documents.remove(id);
			if (previous == null) {
				return false;
			}
			this.feed.enqueue(new Change<>(id, previous.wireId(), previous, null));
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
		StoredDocument<T> document = this.documents.get(id);
		return (document != null) ? Optional.of(document.value()) : Optional.empty();
	}

	/**
	 * Return a cursor over every document.
	 * @return the cursor
	 */
	public DdpCursor<T> find() {
		return this.feed.find();
	}

	/**
	 * Return a cursor over the documents that pass a filter; see
	 * {@link ChangeFeed#find(Predicate)} for when cursors share their work.
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
		return this.documents.size();
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
		return this.documents.get(id);
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
		StoredDocument<T> document = this.codec.store(id, null, value, fields);
		synchronized (this.feed.lock) {
			if (this.documents.putIfAbsent(id, document) != null) {
				throw new DuplicateDocumentException(this.name, id);
			}
			this.feed.enqueue(new Change<>(id, document.wireId(), null, document));
		}
		this.feed.drain();
	}

	/**
	 * Replace {@code current} with a new version, unless another write replaced it first.
	 * @return whether the document was still {@code current} (then it is updated, or left
	 * alone when its fields did not change)
	 */
	private boolean commit(StoredDocument<T> current, T value, Map<String, @Nullable Object> fields) {
		if (Multiplexer.sameFields(current.fields(), fields)) {
			return this.documents.get(current.id()) == current;
		}
		// The same id instances for every version: merge boxes keep the first one
		StoredDocument<T> next = this.codec.store(current.id(), current.wireId(), value, fields);
		synchronized (this.feed.lock) {
			if (this.documents.get(current.id()) != current) {
				return false;
			}
			this.documents.put(current.id(), next);
			this.feed.enqueue(new Change<>(current.id(), current.wireId(), current, next));
		}
		this.feed.drain();
		return true;
	}

}
