package io.ddp.spring.collection;

/**
 * Told about every change of a {@link DdpCollection}, in the order the collection applied
 * them, after the subscriptions it affects were updated. Called on the writing thread
 * (or, when writes race, on the thread of the write being delivered), with no lock of the
 * collection held; exceptions are logged.
 *
 * @param <T> the document type
 * @since 0.1.0
 * @see DdpCollection#addListener(DdpCollectionListener)
 */
public interface DdpCollectionListener<T> {

	/**
	 * A document was inserted.
	 * @param id the document id
	 * @param document the document
	 */
	default void inserted(String id, T document) {
	}

	/**
	 * A document was replaced or updated; called only when its fields changed.
	 * @param id the document id
	 * @param document the new version
	 * @param previous the version before
	 */
	default void changed(String id, T document, T previous) {
	}

	/**
	 * A document was removed.
	 * @param id the document id
	 * @param previous the removed version
	 */
	default void removed(String id, T previous) {
	}

}
