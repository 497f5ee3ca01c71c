package io.ddp.spring.collection;

import java.util.Objects;

import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * One version of a stored document as a {@link DocumentStore} keeps it: its id, its
 * version and its fields (without {@code _id}). Versions of one document grow with every
 * write; a store may number them per document or across all its documents.
 * <p>
 * Instances are immutable; the collection caches the typed document it decodes from one,
 * so a store that returns the same instance for the same version (as the in-memory store
 * does) decodes each version once.
 *
 * @since 0.1.0
 */
public final class DocumentRecord {

	private final String id;

	private final long version;

	private final DocumentSnapshot fields;

	// The collection's typed document for this version, set once by the collection: a
	// racy cache of an immutable value, a lost write costs a second decode
	@Nullable Object decoded;

	/**
	 * Create a record.
	 * @param id the document id
	 * @param version the version
	 * @param fields the fields, without {@code _id}
	 */
	public DocumentRecord(String id, long version, DocumentSnapshot fields) {
		this.id = Objects.requireNonNull(id, "'id' must not be null");
		this.version = version;
		this.fields = Objects.requireNonNull(fields, "'fields' must not be null");
	}

	/**
	 * Return the document id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the version.
	 * @return the version
	 */
	public long version() {
		return this.version;
	}

	/**
	 * Return the fields, without {@code _id}.
	 * @return the fields
	 */
	public DocumentSnapshot fields() {
		return this.fields;
	}

	@Override
	public String toString() {
		return "DocumentRecord[" + this.id + " v" + this.version + "]";
	}

}
