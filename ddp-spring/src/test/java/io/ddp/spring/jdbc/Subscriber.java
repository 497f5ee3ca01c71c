package io.ddp.spring.jdbc;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.publication.CollectionPublisher;
import io.ddp.spring.server.publication.DocumentSnapshot;
import io.ddp.spring.server.publication.ServerSubscription;
import org.jspecify.annotations.Nullable;

/**
 * What a client subscribed to a cursor holds, failing on calls a merge box would refuse
 * (adding a document twice, changing or removing one it lacks).
 */
final class Subscriber implements CollectionPublisher, ServerSubscription {

	private final Map<String, Map<String, @Nullable Object>> documents = new ConcurrentHashMap<>();

	final List<String> errors = new CopyOnWriteArrayList<>();

	private final List<Runnable> stopCallbacks = new CopyOnWriteArrayList<>();

	private final String collection;

	private Subscriber(String collection) {
		this.collection = collection;
	}

	static Subscriber subscribe(String collection, DdpCursor<?> cursor) {
		Subscriber subscriber = new Subscriber(collection);
		cursor.publish(subscriber);
		return subscriber;
	}

	/**
	 * Return the documents, sorted by id, each with its {@code _id}.
	 */
	Map<String, Map<String, @Nullable Object>> documents() {
		return new TreeMap<>(this.documents);
	}

	@Override
	public synchronized void added(String id, DocumentSnapshot fields) {
		if (this.documents.putIfAbsent(id, withId(id, fields)) != null) {
			this.errors.add("added twice: " + id);
		}
	}

	@Override
	public synchronized void changed(String id, DocumentSnapshot fields) {
		if (this.documents.replace(id, withId(id, fields)) == null) {
			this.errors.add("changed a document it lacks: " + id);
		}
	}

	@Override
	public synchronized void removed(String id) {
		if (this.documents.remove(id) == null) {
			this.errors.add("removed a document it lacks: " + id);
		}
	}

	private static Map<String, @Nullable Object> withId(String id, DocumentSnapshot fields) {
		Map<String, @Nullable Object> document = new TreeMap<>(fields.asMap());
		document.put("_id", id);
		return document;
	}

	@Override
	public ServerSubscription subscription() {
		return this;
	}

	@Override
	public String collectionName() {
		return this.collection;
	}

	@Override
	public String id() {
		return "sub";
	}

	@Override
	public String name() {
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
		this.errors.add(String.valueOf(error));
	}

	@Override
	public void stop() {
		this.stopCallbacks.forEach(Runnable::run);
	}

	@Override
	public void onStop(Runnable callback) {
		this.stopCallbacks.add(callback);
	}

	@Override
	public boolean isActive() {
		return true;
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
