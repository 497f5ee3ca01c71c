package io.ddp.spring.collection;

import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.query.DdpQuery;

/**
 * The store-side SPI through which a {@link ChangeFeed} reads documents: the result of a
 * query, matched, sorted (ties by id), skipped and limited by the store, for a cursor's
 * initial result, {@link DdpCursor#fetch()}, and to refill a live window when a document
 * leaves it. Changes themselves reach the feed as events, never through this interface,
 * so a store is queried only when a cursor starts, is fetched, or a window runs out of
 * buffered documents.
 * <p>
 * Called under the feed's lock: the result must include every change the store reported
 * to the feed before the call, and should come quickly (from an index).
 *
 * @param <T> the document type
 * @since 0.2.0
 */
public interface DocumentSource<T> {

	/**
	 * Return the documents a query selects, in its order, after its skip and within its
	 * limit, whole (the query's projection is applied by the cursor).
	 * @param query the query
	 * @return the documents, in order
	 */
	List<StoredDocument<T>> query(DdpQuery query);

	/**
	 * Return the number of documents a query selects, within its skip and limit.
	 * @param query the query
	 * @return the count
	 */
	default long count(DdpQuery query) {
		return query(query).size();
	}

	/**
	 * Return a source that scans documents in memory for every query.
	 * @param <T> the document type
	 * @param documents the current documents
	 * @return the source
	 */
	static <T> DocumentSource<T> scanning(Supplier<? extends Iterable<StoredDocument<T>>> documents) {
		return new ScanningDocumentSource<>(documents);
	}

}
