package io.ddp.spring.collection;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A record's fields with its id under {@code _id}, as selectors and sorts read them,
 * without copying the fields.
 */
final class RecordFields extends AbstractMap<String, @Nullable Object> {

	private final DocumentRecord record;

	RecordFields(DocumentRecord record) {
		this.record = record;
	}

	DocumentRecord record() {
		return this.record;
	}

	@Override
	public boolean containsKey(Object key) {
		return DocumentCodec.ID.equals(key) || (key instanceof String field && this.record.fields().containsKey(field));
	}

	@Override
	public @Nullable Object get(Object key) {
		if (DocumentCodec.ID.equals(key)) {
			return this.record.id();
		}
		return (key instanceof String field) ? this.record.fields().get(field) : null;
	}

	@Override
	public Set<Map.Entry<String, @Nullable Object>> entrySet() {
		Map<String, @Nullable Object> all = new LinkedHashMap<>();
		all.put(DocumentCodec.ID, this.record.id());
		all.putAll(this.record.fields().asMap());
		return all.entrySet();
	}

}
