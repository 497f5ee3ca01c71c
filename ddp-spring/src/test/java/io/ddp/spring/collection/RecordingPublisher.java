package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.publication.CollectionPublisher;
import io.ddp.spring.server.publication.DocumentSnapshot;
import io.ddp.spring.server.publication.ServerSubscription;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CollectionPublisher} that records every call, keeps what a client would see,
 * and checks the merge box's rules (no change or removal of a document it lacks): a
 * broken rule throws and is kept in {@link #errors()}, for deliveries on threads whose
 * exceptions only get logged (a database's listener).
 */
public class RecordingPublisher implements CollectionPublisher {

	final List<String> calls = new CopyOnWriteArrayList<>();

	final Map<String, DocumentSnapshot> documents = new ConcurrentHashMap<>();

	final List<String> wireIds = new CopyOnWriteArrayList<>();

	final List<DocumentSnapshot> snapshots = new CopyOnWriteArrayList<>();

	final FakeSubscription subscription = new FakeSubscription();

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private final String collection;

	RecordingPublisher(String collection) {
		this.collection = collection;
	}

	/**
	 * Subscribe a new publisher to a cursor.
	 * @param collection the collection name
	 * @param cursor the cursor
	 * @return the publisher, holding the cursor's documents
	 */
	public static RecordingPublisher subscribe(String collection, DdpCursor<?> cursor) {
		RecordingPublisher publisher = new RecordingPublisher(collection);
		cursor.publish(publisher);
		return publisher;
	}

	/**
	 * Return the documents the client holds, sorted by id, each with its {@code _id}.
	 * @return the documents
	 */
	public Map<String, Map<String, @Nullable Object>> documentsWithIds() {
		Map<String, Map<String, @Nullable Object>> documents = new TreeMap<>();
		this.documents.forEach((id, fields) -> {
			Map<String, @Nullable Object> document = new TreeMap<>(fields.asMap());
			document.put("_id", id);
			documents.put(id, document);
		});
		return documents;
	}

	/**
	 * Return the calls so far, as {@code added <id> <fields>}, {@code changed <id>
	 * <fields>} and {@code removed <id>}, the fields in the order they came.
	 * @return the calls
	 */
	public List<String> calls() {
		return List.copyOf(this.calls);
	}

	/**
	 * Return the merge-box rules broken so far, and the subscription's errors.
	 * @return the errors
	 */
	public List<String> errors() {
		List<String> all = new ArrayList<>(this.errors);
		this.subscription.errors.forEach((error) -> all.add(String.valueOf(error)));
		return all;
	}

	private IllegalStateException broken(String message) {
		this.errors.add(message);
		return new IllegalStateException(message);
	}

	@Override
	public ServerSubscription subscription() {
		return this.subscription;
	}

	@Override
	public String collectionName() {
		return this.collection;
	}

	@Override
	public synchronized void added(String id, DocumentSnapshot fields) {
		if (this.documents.putIfAbsent(id, fields) != null) {
			throw broken("added twice: " + id);
		}
		record("added " + id + " " + fields, id, fields);
	}

	@Override
	public synchronized void changed(String id, DocumentSnapshot fields) {
		if (this.documents.replace(id, fields) == null) {
			throw broken("Could not find element with id " + id + " to change");
		}
		record("changed " + id + " " + fields, id, fields);
	}

	@Override
	public synchronized void removed(String id) {
		if (this.documents.remove(id) == null) {
			throw broken("Removed nonexistent document " + id);
		}
		record("removed " + id, id, null);
	}

	private void record(String call, String id, @Nullable DocumentSnapshot fields) {
		this.calls.add(call);
		this.wireIds.add(id);
		if (fields != null) {
			this.snapshots.add(fields);
		}
	}

	List<String> takeCalls() {
		List<String> calls = new ArrayList<>(this.calls);
		this.calls.clear();
		return calls;
	}

	/**
	 * The subscription side: onStop callbacks and errors.
	 */
	static final class FakeSubscription implements ServerSubscription {

		private final List<Runnable> stopCallbacks = new ArrayList<>();

		final List<Throwable> errors = new CopyOnWriteArrayList<>();

		private boolean stopped;

		@Override
		public @Nullable String id() {
			return "sub";
		}

		@Override
		public @Nullable String name() {
			return "test";
		}

		@Override
		public void added(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void changed(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void removed(String collection, Object id) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void ready() {
		}

		@Override
		public void error(Throwable error) {
			this.errors.add(error);
			stop();
		}

		@Override
		public void stop() {
			List<Runnable> callbacks;
			synchronized (this) {
				if (this.stopped) {
					return;
				}
				this.stopped = true;
				callbacks = new ArrayList<>(this.stopCallbacks);
			}
			callbacks.forEach(Runnable::run);
		}

		@Override
		public void onStop(Runnable callback) {
			synchronized (this) {
				if (!this.stopped) {
					this.stopCallbacks.add(callback);
					return;
				}
			}
			callback.run();
		}

		@Override
		public synchronized boolean isActive() {
			return !this.stopped;
		}

		@Override
		public @Nullable String userId() {
			return null;
		}

		@Override
		public ClientConnection connection() {
			throw new UnsupportedOperationException();
		}

		@Override
		public void unblock() {
		}

	}

}
