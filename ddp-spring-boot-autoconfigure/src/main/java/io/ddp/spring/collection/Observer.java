package io.ddp.spring.collection;

import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * Receives what one cursor publishes, from its {@link Multiplexer}: shared snapshots
 * and wire ids, the same instances for every observer.
 */
abstract class Observer {

	// Guarded by the feed's lock: set once the observer left, so a pending join skips it
	boolean stopped;

	abstract void added(String wireId, DocumentSnapshot fields);

	abstract void changed(String wireId, DocumentSnapshot fields);

	abstract void removed(String wireId);

}
