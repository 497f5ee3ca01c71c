package io.ddp.spring.collection;

import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * Receives what one cursor publishes, from its {@link Multiplexer}: shared snapshots and
 * wire ids, the same instances for every observer.
 */
abstract class Observer {

	// Written under the feed's lock once the observer left, so that a pending join and
	// deliveries skip it; read by deliveries without the lock
	volatile boolean stopped;

	abstract void added(String wireId, DocumentSnapshot fields);

	abstract void changed(String wireId, DocumentSnapshot fields);

	abstract void removed(String wireId);

}
