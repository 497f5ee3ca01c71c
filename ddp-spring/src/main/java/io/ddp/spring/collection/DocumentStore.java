package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link DdpCollection} keeps its documents: the storage SPI behind the
 * collection's API. The collection converts typed documents to fields, applies modifiers
 * and update functions in Java, and writes the result here with a compare-and-set on the
 * version, retrying when another writer came first; it delivers its own writes to its
 * cursors right after they commit and learns of writes made elsewhere (another instance,
 * plain SQL) from {@link #listen(Listener)}.
 * <p>
 * {@link InMemoryDocumentStore} is the default; {@code io.ddp.spring.jdbc} keeps
 * documents in PostgreSQL. Implementations are thread-safe and each write is atomic.
 *
 * @since 0.1.0
 */
public interface DocumentStore {

	/**
	 * The default of {@link #recentDocuments()}.
	 */
	int DEFAULT_RECENT_DOCUMENTS = 10_000;

	/**
	 * Return the current version of a document.
	 * @param id the document id
	 * @return the document, or {@code null} if there is none with that id
	 */
	@Nullable DocumentRecord findById(String id);

	/**
	 * Return the current versions of the documents with the given ids that exist.
	 * @param ids the ids
	 * @return the documents, in no particular order
	 */
	List<DocumentRecord> findAllById(Collection<String> ids);

	/**
	 * Return every current document: what a live query that starts reads.
	 * @return the documents
	 */
	Iterable<DocumentRecord> findAll();

	/**
	 * Return the documents a query selects, in its order, after its skip and within its
	 * limit: what a live query that starts, a fetch, or a live window that refills reads.
	 * The default scans {@link #findAll()} in memory; a database translates the query.
	 * @param query the query
	 * @return the documents, in order
	 */
	default List<DocumentRecord> query(DdpQuery query) {
		return select(query, findAll());
	}

	/**
	 * Apply a query in memory: match, sort, skip and limit records.
	 * @param query the query
	 * @param records the candidates
	 * @return the records the query selects, in its order
	 */
	static List<DocumentRecord> select(DdpQuery query, Iterable<DocumentRecord> records) {
		List<RecordFields> all = new ArrayList<>();
		for (DocumentRecord record : records) {
			all.add(new RecordFields(record));
		}
		List<DocumentRecord> result = new ArrayList<>();
		for (RecordFields fields : query.select(all)) {
			result.add(fields.record());
		}
		return result;
	}

	/**
	 * Make queries with a given sort quick, whatever their selector, where the store can
	 * (Meteor's {@code createIndex}): a database creates an index on the sort's key if it
	 * is missing. The default does nothing, which suits the in-memory store, which sorts
	 * in memory.
	 * @param sort the sort
	 */
	default void createIndex(Sort sort) {
	}

	/**
	 * Return the number of documents.
	 * @return the count
	 */
	long count();

	/**
	 * Insert a document.
	 * @param id the document id
	 * @param fields the fields, without {@code _id}
	 * @return the stored version
	 * @throws DuplicateDocumentException if a document with that id exists
	 */
	DocumentRecord insert(String id, DocumentSnapshot fields);

	/**
	 * Replace a document's fields if its current version is still {@code current}'s.
	 * @param current the version the new fields were computed from
	 * @param fields the new fields
	 * @return the new version, or {@code null} if the document changed or went since
	 */
	@Nullable DocumentRecord replace(DocumentRecord current, DocumentSnapshot fields);

	/**
	 * Remove a document.
	 * @param id the document id
	 * @return the version removed, or {@code null} if there was none
	 */
	@Nullable DocumentRecord remove(String id);

	/**
	 * Whether the store's documents change only through this collection in this JVM (the
	 * in-memory store): then the collection writes under its feed's lock and needs no
	 * bookkeeping of versions. A shared store returns {@code false}.
	 * @return whether writes happen only here
	 */
	default boolean isLocal() {
		return false;
	}

	/**
	 * Return how many documents' latest versions a collection over this shared store
	 * keeps in memory, so that updating one of them costs one compare-and-set without
	 * reading it first (a stale version costs a failed compare-and-set and a read);
	 * {@code 0} reads before every update. Not used with a {@linkplain #isLocal() local}
	 * store.
	 * @return how many documents to keep, {@value #DEFAULT_RECENT_DOCUMENTS} by default
	 */
	default int recentDocuments() {
		return DEFAULT_RECENT_DOCUMENTS;
	}

	/**
	 * Be told of writes this collection did not make: another instance, plain SQL. The
	 * collection calls this once, when it is created. The default tells nothing, for
	 * stores that only this collection writes.
	 * @param listener the listener
	 * @return stops listening
	 */
	default Runnable listen(Listener listener) {
		return () -> {
		};
	}

	/**
	 * Receives the changes of a store made by other writers.
	 */
	interface Listener {

		/**
		 * Documents changed, in commit order. The collection fetches the ones it has not
		 * delivered yet with {@link #findAllById(Collection)}, unless their notice
		 * carries the document. Called on the store's thread.
		 * @param notices what changed
		 */
		void changed(List<ChangeNotice> notices);

		/**
		 * Changes may have been missed (the store lost and regained its notifications):
		 * the collection re-reads what its live queries show.
		 */
		void resynchronize();

	}

	/**
	 * A document that changed: its id, the version it has after the change (for a
	 * removal, the version removed), whether it was removed, and the document at that
	 * version when the notice carries it (then the collection does not fetch it). The
	 * document is decoded on demand: a collection that holds the version already, or has
	 * nobody to tell, never decodes it.
	 *
	 * @param id the document id
	 * @param version the version
	 * @param removed whether the change removed the document
	 * @param document decodes the document at {@code version}, or {@code null} when the
	 * notice does not carry it (always for a removal)
	 */
	record ChangeNotice(String id, long version, boolean removed, @Nullable Supplier<DocumentRecord> document) {

		/**
		 * Create a notice that does not carry the document.
		 * @param id the document id
		 * @param version the version
		 * @param removed whether the change removed the document
		 */
		public ChangeNotice(String id, long version, boolean removed) {
			this(id, version, removed, null);
		}

	}

}
