package io.ddp.spring.collection;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * Which top-level fields a cursor publishes: all, only some ({@code include}) or all but
 * some ({@code exclude}), as a Mongo field specifier without nesting. {@code _id} is
 * always the document id, never a field. Equal projections let cursors share a
 * multiplexer.
 *
 * @param inclusive whether {@code fields} lists the fields to keep rather than to drop
 * @param fields the field names
 */
record Projection(boolean inclusive, Set<String> fields) {

	static final Projection ALL = new Projection(false, Set.of());

	Projection include(String... names) {
		if (!this.inclusive && !this.fields.isEmpty()) {
			throw new IllegalStateException("Cannot mix included and excluded fields in one projection");
		}
		return new Projection(true, union(names));
	}

	Projection exclude(String... names) {
		if (this.inclusive) {
			throw new IllegalStateException("Cannot mix included and excluded fields in one projection");
		}
		return new Projection(false, union(names));
	}

	private Set<String> union(String... names) {
		Set<String> union = new LinkedHashSet<>(this.fields);
		union.addAll(Arrays.asList(names));
		union.remove(DocumentCodec.ID);
		return Set.copyOf(union);
	}

	DocumentSnapshot apply(DocumentSnapshot document) {
		if (this == ALL || (!this.inclusive && this.fields.isEmpty())) {
			return document;
		}
		return document.select((field) -> this.fields.contains(field) == this.inclusive);
	}

}
