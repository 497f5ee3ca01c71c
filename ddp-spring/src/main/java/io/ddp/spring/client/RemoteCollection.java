package io.ddp.spring.client;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.ddp.spring.query.DdpQuery;
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
	 * Return the documents a query selects, in its order: the same selectors, sort (ties
	 * broken by {@code _id}), skip, limit and field projection as the server's cursors
	 * (Meteor's Minimongo {@code find(selector, options)} on the client). The default
	 * implementation throws {@link UnsupportedOperationException}.
	 * @param query the query, e.g.
	 * {@code DdpQuery.where(Criteria.where("done").is(false)).sort(Sort.by("createdAt")).limit(10)}
	 * @return a snapshot of the result
	 * @since 0.2.0
	 */
	default List<T> find(DdpQuery query) {
		throw new UnsupportedOperationException("Queries are not supported by " + getClass().getName());
	}

	/**
	 * Observe a query's result: the listener is called with the result at once, then each
	 * time the result changes (a document enters, leaves, moves or changes within it),
	 * not for changes that leave it as it was. Several changes that arrive together give
	 * one call. The default implementation throws {@link UnsupportedOperationException}.
	 * @param query the query
	 * @param listener called with the whole result, on the connection's callback thread
	 * @return a handle that stops the observation when closed
	 * @since 0.2.0
	 */
	default AutoCloseable observe(DdpQuery query, Consumer<List<T>> listener) {
		throw new UnsupportedOperationException("Queries are not supported by " + getClass().getName());
	}

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
