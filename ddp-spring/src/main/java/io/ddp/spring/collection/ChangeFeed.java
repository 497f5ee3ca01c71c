package io.ddp.spring.collection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.server.method.WriteFence;
import io.ddp.spring.server.publication.CollectionPublisher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The change-feed SPI: what keeps {@link DdpCursor}s live over any store. A store that is
 * not a {@link DdpCollection} (JPA, MongoDB, Redis, a message bus) creates one feed per
 * collection, tells it about every committed change with {@link #inserted},
 * {@link #changed} and {@link #removed}, and publications return the feed's cursors:
 * <pre class="code">
 * ChangeFeed&lt;Order&gt; orders = new ChangeFeed&lt;&gt;("orders", Order.class, ejson, repository::findAll);
 * // in an entity listener, after commit:
 * orders.changed(order);
 * // in a publication:
 * return orders.find((order) -&gt; order.open());
 * </pre> Events carry whole documents (the state after the change, not a delta): each
 * cursor compares it with what it published, so it sends only what changed, and an event
 * that repeats a state is harmless. The current documents are read (under the feed's
 * lock, so keep that query quick) when a cursor that no other subscription shares starts;
 * a change committed but not yet reported at that moment is sent when its event comes.
 * <p>
 * <b>Thread model.</b> Events are queued in the order the feed receives them, and
 * delivered synchronously by the thread that reported them: each subscription's documents
 * are handed to its session holding that session's monitor only, never a lock of the
 * feed. When several threads report at once, the one already delivering delivers the
 * others' events too, in order; each event holds the {@link WriteFence} of the DDP method
 * that reported it (if any) until it was delivered, so a method's data messages always
 * precede its {@code updated}. Events reported by another thread after a method returned
 * are not part of that method.
 * <p>
 * Cursors share their work: all subscriptions to cursors with the same filter (the same
 * {@link Predicate} instance, or the same explicit key) and the same projection are
 * served by one multiplexer that evaluates the filter once per event and holds one
 * projected snapshot per document for all of them. The cost of an event is one filter
 * test per distinct cursor plus one merge-box call per subscription whose documents it
 * changes.
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class ChangeFeed<T> {

	private static final Log logger = LogFactory.getLog(ChangeFeed.class);

	private static final Multiplexer<?>[] NO_MULTIPLEXERS = new Multiplexer<?>[0];

	// Stopped observers a multiplexer may keep before it drops them
	private static final int COMPACT_MIN = 64;

	private final String collectionName;

	private final DocumentCodec<T> codec;

	private final DocumentSource<T> source;

	// Orders events, joins and the multiplexer table. Never held while delivering.
	final Object lock = new Object();

	private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

	// The thread delivering queued tasks, guarded by the lock
	private @Nullable Thread drainer;

	private final Map<Object, Multiplexer<T>> multiplexers = new HashMap<>();

	// Copy on write under the lock, for the delivering thread
	@SuppressWarnings("unchecked")
	private volatile Multiplexer<T>[] active = (Multiplexer<T>[]) NO_MULTIPLEXERS;

	private final List<Consumer<Change<T>>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Create a feed for documents of a store other than {@link DdpCollection}.
	 * @param collectionName the collection name clients see
	 * @param type the document type; its id is the property serialized as {@code _id},
	 * else the one serialized as {@code id} (see {@link DdpCollection})
	 * @param ejson converts documents to fields
	 * @param currentDocuments returns the store's current documents, for cursors that
	 * start; called under the feed's lock
	 */
	public ChangeFeed(String collectionName, Class<T> type, Ejson ejson,
			Supplier<? extends Iterable<? extends T>> currentDocuments) {
		this(collectionName, new DocumentCodec<>(type, ejson), null,
				Objects.requireNonNull(currentDocuments, "'currentDocuments' must not be null"));
	}

	/**
	 * Create the feed of a store that keeps {@link StoredDocument}s itself.
	 */
	ChangeFeed(String collectionName, DocumentCodec<T> codec, DocumentSource<T> source) {
		this(collectionName, codec, source, null);
	}

	private ChangeFeed(String collectionName, DocumentCodec<T> codec, @Nullable DocumentSource<T> source,
			@Nullable Supplier<? extends Iterable<? extends T>> values) {
		if (collectionName == null || collectionName.isEmpty()) {
			throw new IllegalArgumentException("'collectionName' must not be empty");
		}
		this.collectionName = collectionName;
		this.codec = codec;
		this.source = (source != null) ? source
				: DocumentSource.scanning(() -> stored(Objects.requireNonNull(values).get()));
	}

	private List<StoredDocument<T>> stored(Iterable<? extends T> values) {
		List<StoredDocument<T>> documents = new ArrayList<>();
		for (T value : values) {
			documents.add(stored(value));
		}
		return documents;
	}

	/**
	 * Return the name of the collection.
	 * @return the collection name
	 */
	public String collectionName() {
		return this.collectionName;
	}

	/**
	 * Report a document the store added.
	 * @param document the document, with its id
	 * @throws IllegalArgumentException if the document has no id or does not convert
	 */
	public void inserted(T document) {
		report(stored(document));
	}

	/**
	 * Report the new version of a document the store changed; when the document is new to
	 * the feed's cursors this is an insert.
	 * @param document the whole document after the change, with its id
	 * @throws IllegalArgumentException if the document has no id or does not convert
	 */
	public void changed(T document) {
		report(stored(document));
	}

	/**
	 * Report a document the store removed.
	 * @param id the document id
	 */
	public void removed(String id) {
		Objects.requireNonNull(id, "'id' must not be null");
		synchronized (this.lock) {
			enqueue(new Change<>(id, DocumentIds.stringify(id), null, null));
		}
		drain();
	}

	private void report(StoredDocument<T> document) {
		synchronized (this.lock) {
			enqueue(new Change<>(document.id(), document.wireId(), null, document));
		}
		drain();
	}

	private StoredDocument<T> stored(T value) {
		DocumentCodec.Encoded encoded = this.codec.encode(value);
		if (encoded.id() == null) {
			throw new IllegalArgumentException("A reported document must have an id: " + value);
		}
		return this.codec.store(encoded.id(), null, value, encoded.fields());
	}

	/**
	 * Return a cursor over every document.
	 * @return the cursor
	 */
	public DdpCursor<T> find() {
		return new DdpCursor<>(this, DdpCursor.ALL, DdpCursor.all(), Projection.ALL);
	}

	/**
	 * Return a cursor over the documents that pass a filter. Subscriptions to cursors
	 * made with the same filter instance share one multiplexer: a lambda that captures
	 * nothing is, on the usual JVMs, one instance per place in the code, while a lambda
	 * that captures, for example, the user id or {@code this} is a new one each time;
	 * give such cursors a key with {@link #find(Object, Predicate)}, or keep the filter
	 * in a field.
	 * @param filter selects documents; must be thread-safe and quick, as it runs for
	 * every change
	 * @return the cursor
	 */
	public DdpCursor<T> find(Predicate<? super T> filter) {
		Objects.requireNonNull(filter, "'filter' must not be null");
		return new DdpCursor<>(this, filter, filter, Projection.ALL);
	}

	/**
	 * Return a cursor over the documents that pass a filter, sharing its multiplexer with
	 * every cursor of an equal key (and projection): cursors with equal keys must select
	 * the same documents.
	 * @param key identifies the selection, for example {@code "owner:" + userId}
	 * @param filter selects documents
	 * @return the cursor
	 */
	public DdpCursor<T> find(Object key, Predicate<? super T> filter) {
		Objects.requireNonNull(key, "'key' must not be null");
		Objects.requireNonNull(filter, "'filter' must not be null");
		return new DdpCursor<>(this, new DdpCursor.ExplicitKey(key), filter, Projection.ALL);
	}

	// ---- for DdpCursor and DdpCollection

	DocumentCodec<T> codec() {
		return this.codec;
	}

	DocumentSource<T> source() {
		return this.source;
	}

	Runnable addListener(Consumer<Change<T>> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	/**
	 * Whether a change would reach anyone: a running cursor or a listener.
	 */
	boolean observed() {
		return this.active.length != 0 || !this.listeners.isEmpty();
	}

	/**
	 * Queue a change; the caller holds the lock and calls {@link #drain()} after
	 * releasing it. Unobserved changes are dropped: a cursor that starts later reads the
	 * store.
	 */
	void enqueue(Change<T> change) {
		if (!observed()) {
			return;
		}
		WriteFence fence = WriteFence.current();
		WriteFence.Write write = (fence != null) ? fence.beginWrite() : null;
		this.queue.add(() -> deliver(change, write));
	}

	private void deliver(Change<T> change, WriteFence.@Nullable Write write) {
		try {
			for (Multiplexer<T> multiplexer : this.active) {
				multiplexer.apply(change);
			}
			for (Consumer<Change<T>> listener : this.listeners) {
				try {
					listener.accept(change);
				}
				catch (RuntimeException ex) {
					logger.error("Listener of collection '" + this.collectionName + "' failed", ex);
				}
			}
		}
		finally {
			if (write != null) {
				write.committed();
			}
		}
	}

	/**
	 * Deliver queued tasks in order, unless another thread is at it already.
	 */
	void drain() {
		synchronized (this.lock) {
			if (this.drainer != null) {
				return;
			}
			this.drainer = Thread.currentThread();
		}
		boolean emptied = false;
		try {
			while (true) {
				Runnable task;
				synchronized (this.lock) {
					task = this.queue.poll();
					if (task == null) {
						this.drainer = null;
						emptied = true;
						return;
					}
				}
				task.run();
			}
		}
		finally {
			if (!emptied) {
				synchronized (this.lock) {
					this.drainer = null;
				}
			}
		}
	}

	/**
	 * Publish a cursor to a subscription: join (or start) its multiplexer, wait until the
	 * subscription has the current documents, and leave when it stops.
	 */
	void publish(DdpCursor<T> cursor, CollectionPublisher publisher) {
		PublicationObserver observer = new PublicationObserver(publisher);
		CompletableFuture<Void> joined = new CompletableFuture<>();
		Multiplexer<T> multiplexer;
		synchronized (this.lock) {
			if (this.drainer == Thread.currentThread()) {
				throw new IllegalStateException("Cannot publish a cursor of collection '" + this.collectionName
						+ "' while delivering its changes");
			}
			multiplexer = this.multiplexers.get(cursor.key());
			if (multiplexer == null) {
				multiplexer = start(cursor);
			}
			multiplexer.references++;
			Multiplexer<T> target = multiplexer;
			this.queue.add(() -> join(target, observer, joined));
		}
		Multiplexer<T> target = multiplexer;
		publisher.subscription().onStop(() -> leave(target, observer));
		drain();
		joined.join();
	}

	// Under the lock: the store's documents now are the state after every queued change
	private Multiplexer<T> start(DdpCursor<T> cursor) {
		Multiplexer<T> multiplexer = new Multiplexer<>(cursor.key(), this.collectionName, cursor.filter(),
				cursor.projection(), FanOut.COMMON_POOL);
		for (StoredDocument<T> document : this.source.query(DdpQuery.all())) {
			multiplexer.load(document);
		}
		this.multiplexers.put(multiplexer.key, multiplexer);
		Multiplexer<T>[] active = Arrays.copyOf(this.active, this.active.length + 1);
		active[active.length - 1] = multiplexer;
		this.active = active;
		return multiplexer;
	}

	private void join(Multiplexer<T> multiplexer, Observer observer, CompletableFuture<Void> joined) {
		try {
			synchronized (this.lock) {
				if (observer.stopped) {
					return;
				}
				Observer[] observers = Arrays.copyOf(multiplexer.observers, multiplexer.observers.length + 1);
				observers[observers.length - 1] = observer;
				multiplexer.observers = observers;
			}
			// Queued after every change the loaded documents reflect, before any later
			// one
			multiplexer.replay(observer);
		}
		finally {
			joined.complete(null);
		}
	}

	private void leave(Multiplexer<T> multiplexer, Observer observer) {
		synchronized (this.lock) {
			if (observer.stopped) {
				return;
			}
			observer.stopped = true;
			// Stopped observers are skipped by deliveries and dropped in batches, so that
			// N
			// sessions leaving cost O(N) in all rather than one array copy each
			Observer[] observers = multiplexer.observers;
			if (++multiplexer.stoppedObservers > Math.max(COMPACT_MIN, observers.length / 4)) {
				multiplexer.observers = Arrays.stream(observers).filter((o) -> !o.stopped).toArray(Observer[]::new);
				multiplexer.stoppedObservers = 0;
			}
			if (--multiplexer.references == 0) {
				this.multiplexers.remove(multiplexer.key, multiplexer);
				List<Multiplexer<T>> active = new ArrayList<>(Arrays.asList(this.active));
				active.remove(multiplexer);
				this.active = active.toArray(Arrays.copyOf(this.active, 0));
			}
		}
	}

	/**
	 * Return the number of running multiplexers (distinct published cursors).
	 */
	int multiplexerCount() {
		return this.active.length;
	}

	/**
	 * Return the number of observers of the running multiplexers that have not stopped.
	 */
	int observerCount() {
		synchronized (this.lock) {
			int count = 0;
			for (Multiplexer<T> multiplexer : this.active) {
				count += multiplexer.observers.length - multiplexer.stoppedObservers;
			}
			return count;
		}
	}

	@Override
	public String toString() {
		return "ChangeFeed[" + this.collectionName + "]";
	}

}
