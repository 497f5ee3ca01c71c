package io.ddp.spring.client;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One change of a local collection, as applied: the delta the server sent (or the diff
 * computed when the collections were replaced after a reconnect) and the whole document
 * before and after.
 *
 * @param kind the kind of change
 * @param collection the collection name
 * @param id the document id (unescaped)
 * @param fields the added or changed fields
 * @param cleared the removed field names
 * @param before the document before (with {@code _id}), {@code null} when added
 * @param after the document after (with {@code _id}), {@code null} when removed
 * @since 0.1.0
 */
record DocumentChange(Kind kind, String collection, String id, Map<String, @Nullable Object> fields,
		List<String> cleared, @Nullable Map<String, @Nullable Object> before,
		@Nullable Map<String, @Nullable Object> after) {

	enum Kind {

		ADDED, CHANGED, REMOVED

	}

}
