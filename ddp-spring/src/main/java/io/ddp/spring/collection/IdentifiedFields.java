package io.ddp.spring.collection;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A stored document's fields with its id under {@code _id}, as selectors and sorts read
 * them, without copying the fields: lookups go to the shared snapshot.
 */
final class IdentifiedFields<T> extends AbstractMap<String, @Nullable Object> {

	private final StoredDocument<T> document;

	IdentifiedFields(StoredDocument<T> document) {
		this.document = document;
	}

	StoredDocument<T> document() {
		return this.document;
	}

	@Override
	public boolean containsKey(Object key) {
		return DocumentCodec.ID.equals(key)
				|| (key instanceof String field && this.document.fields().containsKey(field));
	}

	@Override
	public @Nullable Object get(Object key) {
		if (DocumentCodec.ID.equals(key)) {
			return this.document.id();
		}
		return (key instanceof String field) ? this.document.fields().get(field) : null;
	}

	@Override
	public Set<Map.Entry<String, @Nullable Object>> entrySet() {
		Map<String, @Nullable Object> all = new LinkedHashMap<>();
		all.put(DocumentCodec.ID, this.document.id());
		all.putAll(this.document.fields().asMap());
		return all.entrySet();
	}

}
