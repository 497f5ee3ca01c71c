package io.ddp.spring.collection;

import io.ddp.spring.server.publication.CollectionPublisher;
import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * Observes a cursor for one subscription: hands every call to the subscription's
 * {@link CollectionPublisher}, which takes that session's monitor only. A call that fails
 * stops that subscription with the error, so one session's trouble never keeps a change
 * from the others.
 */
final class PublicationObserver extends Observer {

	private final CollectionPublisher publisher;

	PublicationObserver(CollectionPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	void added(String wireId, DocumentSnapshot fields) {
		try {
			this.publisher.added(wireId, fields);
		}
		catch (RuntimeException ex) {
			this.publisher.subscription().error(ex);
		}
	}

	@Override
	void changed(String wireId, DocumentSnapshot fields) {
		try {
			this.publisher.changed(wireId, fields);
		}
		catch (RuntimeException ex) {
			this.publisher.subscription().error(ex);
		}
	}

	@Override
	void removed(String wireId) {
		try {
			this.publisher.removed(wireId);
		}
		catch (RuntimeException ex) {
			this.publisher.subscription().error(ex);
		}
	}

}
