package io.ddp.spring.server.publication;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Helpers for maps of field values.
 */
final class FieldMaps {

	private FieldMaps() {
	}

	/**
	 * Return the same map, typed for a parameter that takes maps of field values whose
	 * values may be {@code null}. Java needs no such step; NullAway 0.12.3 does, as it
	 * does not yet see that a {@code Map<String, @Nullable Object>} is a
	 * {@code Map<String, ? extends @Nullable Object>} (uber/NullAway#1126, wildcard
	 * support came in later releases). Drop it once NullAway is upgraded.
	 * @param fields the map
	 * @return {@code fields}
	 */
	static Map<String, ? extends @Nullable Object> nullable(Map<String, @Nullable Object> fields) {
		return (Map<String, ? extends @Nullable Object>) fields;
	}

}
