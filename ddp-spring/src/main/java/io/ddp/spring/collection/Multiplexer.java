package io.ddp.spring.collection;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One live query shared by every observer of equal cursors (Meteor's
 * {@code ObserveMultiplexer}): evaluates the filter and the projection once per change
 * and fans the outcome out to its observers, so a write costs one test per distinct
 * cursor plus one call per observer of a cursor it affects.
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

	private final Predicate<? super T> filter;

	private final Projection projection;

	// Wire id to the projected snapshot the observers have
	private final Map<String, DocumentSnapshot> documents = new HashMap<>();

	// Copy on write under the feed's lock; read by the draining thread
	volatile Observer[] observers = NO_OBSERVERS;

	// Observers joined or joining, guarded by the feed's lock
	int references;

	// Observers in the array that have stopped, guarded by the feed's lock
	int stoppedObservers;

	private final FanOut fanOut;

	Multiplexer(Object key, String collection, Predicate<? super T> filter, Projection projection, FanOut fanOut) {
		this.key = key;
		this.fanOut = fanOut;
		this.collection = collection;
		this.filter = filter;
		this.projection = projection;
	}

	/**
	 * Take a document that exists when the multiplexer starts.
	 */
	void load(StoredDocument<T> document) {
		if (matches(document.value())) {
			this.documents.put(document.wireId(), this.projection.apply(document.fields()));
		}
	}

	/**
	 * Bring the observers from what they have to the change's version of the document.
	 */
	void apply(Change<T> change) {
		String wireId = change.wireId();
		DocumentSnapshot previous = this.documents.get(wireId);
		StoredDocument<T> after = change.after();
		DocumentSnapshot next = (after != null && matches(after.value())) ? this.projection.apply(after.fields())
				: null;
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

	/**
	 * Send a joining observer every document the others have.
	 */
	void replay(Observer observer) {
		this.documents.forEach(observer::added);
	}

	private boolean matches(T value) {
		try {
			return this.filter.test(value);
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
