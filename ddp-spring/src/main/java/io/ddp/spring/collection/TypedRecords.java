package io.ddp.spring.collection;

import io.ddp.spring.protocol.DocumentIds;
import org.jspecify.annotations.Nullable;

/**
 * Turns a collection's stored records into typed documents, decoding each record once.
 */
final class TypedRecords<T> {

	private final DocumentCodec<T> codec;

	TypedRecords(DocumentCodec<T> codec) {
		this.codec = codec;
	}

	/**
	 * Return the typed document of a record, decoded once per record instance.
	 */
	@SuppressWarnings("unchecked")
	StoredDocument<T> typed(DocumentRecord record) {
		Object decoded = record.decoded;
		if (decoded != null) {
			return (StoredDocument<T>) decoded;
		}
		StoredDocument<T> document = new StoredDocument<>(record.id(), DocumentIds.stringify(record.id()),
				this.codec.decode(record.id(), record.fields().asMap()), record.fields());
		record.decoded = document;
		return document;
	}

	/**
	 * Attach the value a write started from to the record it stored.
	 * @param wireId the wire id to keep (merge boxes keep the first instance), or
	 * {@code null} for a new one
	 */
	StoredDocument<T> attach(DocumentRecord record, @Nullable String wireId, T value) {
		StoredDocument<T> document = new StoredDocument<>(record.id(),
				(wireId != null) ? wireId : DocumentIds.stringify(record.id()), value, record.fields());
		record.decoded = document;
		return document;
	}

}
