package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Fields;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One live query shared by every observer of equal cursors (Meteor's
 * {@code ObserveMultiplexer}): evaluates the selector and the projection once per change
 * and fans the outcome out to its observers, so a write costs one test per distinct
 * cursor plus one call per observer of a cursor it affects. A skipped or limited cursor
 * keeps a {@link Window} and publishes exactly the documents in it: {@code added} and
 * {@code removed} as documents enter and leave, {@code changed} for one that changes in
 * it (DDP clients order documents themselves, so moves within the window send nothing).
 * <p>
 * Its documents and observers are used by the thread draining the feed, one at a time;
 * the documents are filled under the feed's lock before the multiplexer is published to
 * that thread.
 */
final class Multiplexer<T> {

	private static final Log logger = LogFactory.getLog(Multiplexer.class);

	private static final Observer[] NO_OBSERVERS = new Observer[0];

	final Object key;

	private final String collection;

	private final Predicate<StoredDocument<T>> filter;

	private final Fields projection;

	private final @Nullable Window<T> window;

	// Wire id to the projected snapshot the observers have
	private final Map<String, DocumentSnapshot> documents = new HashMap<>();

	// Copy on write under the feed's lock; read by the draining thread
	volatile Observer[] observers = NO_OBSERVERS;

	// Observers joined or joining, guarded by the feed's lock
	int references;

	// Observers in the array that have stopped, guarded by the feed's lock
	int stoppedObservers;

	private final FanOut fanOut;

	Multiplexer(Object key, String collection, Predicate<StoredDocument<T>> filter, Fields projection,
			@Nullable Window<T> window, FanOut fanOut) {
		this.key = key;
		this.fanOut = fanOut;
		this.collection = collection;
		this.filter = filter;
		this.projection = projection;
		this.window = window;
	}

	/**
	 * Take the documents that exist when the multiplexer starts: the window's, or the
	 * given ones that match.
	 */
	void load(Iterable<StoredDocument<T>> documents) {
		if (this.window != null) {
			this.window.load();
			for (StoredDocument<T> document : this.window.documents()) {
				this.documents.put(document.wireId(), project(document.fields()));
			}
			return;
		}
		for (StoredDocument<T> document : documents) {
			if (matches(document)) {
				this.documents.put(document.wireId(), project(document.fields()));
			}
		}
	}

	/**
	 * Bring the observers from what they have to the change's version of the document.
	 */
	void apply(Change<T> change) {
		String wireId = change.wireId();
		StoredDocument<T> after = change.after();
		StoredDocument<T> matching = (after != null && matches(after)) ? after : null;
		if (this.window != null) {
			applyToWindow(this.window, wireId, matching);
			return;
		}
		DocumentSnapshot previous = this.documents.get(wireId);
		DocumentSnapshot next = (matching != null) ? project(matching.fields()) : null;
		if (next != null) {
			if (previous == null) {
				this.documents.put(wireId, next);
				this.fanOut.deliver(this.observers, (observer) -> observer.added(wireId, next));
			}
			else if (previous != next && !sameFields(previous, next)) {
				this.documents.put(wireId, next);
				this.fanOut.deliver(this.observers, (observer) -> observer.changed(wireId, next));
			}
		}
		else if (previous != null) {
			this.documents.remove(wireId);
			this.fanOut.deliver(this.observers, (observer) -> observer.removed(wireId));
		}
	}

	private void applyToWindow(Window<T> window, String wireId, @Nullable StoredDocument<T> matching) {
		if (!window.apply(wireId, matching)) {
			return;
		}
		List<StoredDocument<T>> now = window.documents();
		Set<String> inWindow = new HashSet<>();
		for (StoredDocument<T> document : now) {
			inWindow.add(document.wireId());
		}
		List<String> left = new ArrayList<>();
		for (String published : this.documents.keySet()) {
			if (!inWindow.contains(published)) {
				left.add(published);
			}
		}
		for (String id : left) {
			this.documents.remove(id);
			this.fanOut.deliver(this.observers, (observer) -> observer.removed(id));
		}
		for (StoredDocument<T> document : now) {
			String id = document.wireId();
			DocumentSnapshot previous = this.documents.get(id);
			if (previous == null) {
				DocumentSnapshot added = project(document.fields());
				this.documents.put(id, added);
				this.fanOut.deliver(this.observers, (observer) -> observer.added(id, added));
			}
			else if (id.equals(wireId)) {
				DocumentSnapshot next = project(document.fields());
				if (previous != next && !sameFields(previous, next)) {
					this.documents.put(id, next);
					this.fanOut.deliver(this.observers, (observer) -> observer.changed(id, next));
				}
			}
		}
	}

	/**
	 * Send a joining observer every document the others have.
	 */
	void replay(Observer observer) {
		this.documents.forEach(observer::added);
	}

	/**
	 * How many times a window queried the store, for tests.
	 */
	int storeQueries() {
		return (this.window != null) ? this.window.queries : 0;
	}

	private DocumentSnapshot project(DocumentSnapshot fields) {
		if (this.projection.isAll()) {
			return fields;
		}
		if (this.projection.isTopLevel()) {
			return fields.select(this.projection::keeps);
		}
		return snapshot(this.projection.apply(fields.asMap()));
	}

	// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type argument
	@SuppressWarnings("NullAway")
	private static DocumentSnapshot snapshot(Map<String, @Nullable Object> fields) {
		return DocumentSnapshot.of(fields);
	}

	private boolean matches(StoredDocument<T> document) {
		try {
			return this.filter.test(document);
		}
		catch (RuntimeException ex) {
			logger.error("Cursor filter on collection '" + this.collection + "' failed; the document does not match",
					ex);
			return false;
		}
	}

	/**
	 * Whether two versions have the same fields with EJSON-equal values.
	 */
	static boolean sameFields(DocumentSnapshot a, DocumentSnapshot b) {
		return sameFields(a, b.asMap());
	}

	static boolean sameFields(DocumentSnapshot a, Map<String, @Nullable Object> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (Map.Entry<String, @Nullable Object> entry : b.entrySet()) {
			if (!a.containsKey(entry.getKey()) || !Ejson.equals(a.get(entry.getKey()), entry.getValue())) {
				return false;
			}
		}
		return true;
	}

}
