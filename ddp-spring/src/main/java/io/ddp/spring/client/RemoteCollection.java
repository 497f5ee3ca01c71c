package io.ddp.spring.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The local copy of one server collection, fed by the connection's subscriptions
 * (Meteor's client-side {@code Mongo.Collection} / minimongo). Documents are typed
 * through Jackson and EJSON; the {@code _id} field carries the document id.
 *
 * <p>
 * Writes go to the server through the collection mutator methods
 * {@code /<collection>/insert|update|remove}, with a {@code randomSeed} as Meteor's
 * remote collections send it, so the id returned by {@link #insert} is the id the server
 * stores.
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public interface RemoteCollection<T> {

	/**
	 * Return the collection name.
	 * @return the name
	 */
	String name();

	/**
	 * Return every document, in no particular order.
	 * @return a snapshot of the documents
	 */
	List<T> findAll();

	/**
	 * Return the document with the given id.
	 * @param id the id
	 * @return the document, if present
	 */
	Optional<T> findById(String id);

	/**
	 * Return the documents that match a predicate.
	 * @param filter the predicate
	 * @return a snapshot of the matching documents
	 */
	List<T> find(Predicate<? super T> filter);

	/**
	 * Return the number of documents.
	 * @return the count
	 */
	int size();

	/**
	 * Register a listener for changes of this collection.
	 * @param listener the listener
	 * @return a handle that removes the listener when closed
	 */
	AutoCloseable addListener(Listener<T> listener);

	/**
	 * Insert a document through {@code /<collection>/insert}. The id is generated from
	 * the call's {@code randomSeed} unless the document has one.
	 * @param document the document
	 * @return a future with the id
	 */
	CompletableFuture<String> insert(T document);

	/**
	 * Update a document through {@code /<collection>/update} with a Mongo modifier
	 * ({@code $set}, {@code $unset}, ...).
	 * @param id the document id
	 * @param modifier the modifier
	 * @return a future with the number of documents changed
	 */
	CompletableFuture<Integer> update(String id, Map<String, ?> modifier);

	/**
	 * Remove a document through {@code /<collection>/remove}.
	 * @param id the document id
	 * @return a future with the number of documents removed
	 */
	CompletableFuture<Integer> remove(String id);

	/**
	 * Changes of a {@link RemoteCollection}. Runs on the connection's callback thread.
	 *
	 * @param <T> the document type
	 */
	interface Listener<T> {

		/**
		 * A document was added.
		 * @param id the id
		 * @param document the document
		 */
		default void added(String id, T document) {
		}

		/**
		 * A document changed.
		 * @param id the id
		 * @param document the document after the change
		 * @param previous the document before the change
		 */
		default void changed(String id, T document, @Nullable T previous) {
		}

		/**
		 * A document was removed.
		 * @param id the id
		 * @param previous the removed document
		 */
		default void removed(String id, @Nullable T previous) {
		}

	}

}
