package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsonFormatVisitors.JsonObjectFormatVisitor;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts a collection's typed documents to and from their id and EJSON fields with the
 * application's {@link Ejson} mapper. The id is the property serialized as {@code _id},
 * else the one serialized as {@code id}; maps use the key {@code _id}. Ids are strings.
 */
final class DocumentCodec<T> {

	static final String ID = "_id";

	private final Class<T> type;

	private final Ejson ejson;

	private final boolean map;

	private final String idProperty;

	DocumentCodec(Class<T> type, Ejson ejson) {
		this.type = Objects.requireNonNull(type, "'type' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		this.map = Map.class.isAssignableFrom(type);
		this.idProperty = this.map ? ID : findIdProperty(type, ejson);
	}

	private static String findIdProperty(Class<?> type, Ejson ejson) {
		List<String> names = new ArrayList<>();
		ejson.mapper().acceptJsonFormatVisitor(type, new JsonFormatVisitorWrapper.Base() {

			@Override
			public JsonObjectFormatVisitor expectObjectFormat(JavaType objectType) {
				return new JsonObjectFormatVisitor.Base(getContext()) {

					@Override
					public void property(BeanProperty property) {
						names.add(property.getName());
					}

					@Override
					public void optionalProperty(BeanProperty property) {
						names.add(property.getName());
					}

				};
			}

		});
		if (names.contains(ID)) {
			return ID;
		}
		if (names.contains("id")) {
			return "id";
		}
		throw new IllegalArgumentException("Document type " + type.getName()
				+ " has no property serialized as '_id' or 'id' to hold the document id");
	}

	Class<T> type() {
		return this.type;
	}

	Ejson ejson() {
		return this.ejson;
	}

	/**
	 * Return the name of the property that holds the id in the document type's JSON.
	 */
	String idProperty() {
		return this.idProperty;
	}

	/**
	 * Split a document into its id ({@code null} when it has none) and its fields.
	 * @throws IllegalArgumentException if the document is no JSON object or its id is not
	 * a string
	 */
	Encoded encode(T document) {
		JsonNode node;
		try {
			node = this.ejson.toJson(Objects.requireNonNull(document, "'document' must not be null"));
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("Document does not convert to JSON: " + ex.getMessage(), ex);
		}
		if (!(node instanceof ObjectNode object)) {
			throw new IllegalArgumentException("A document must serialize to a JSON object: " + document);
		}
		JsonNode idNode = object.remove(this.idProperty);
		String id = null;
		if (idNode != null && !idNode.isNull()) {
			if (!idNode.isString()) {
				throw new IllegalArgumentException("Document ids must be strings, not " + idNode);
			}
			id = idNode.asString();
		}
		return new Encoded(id, fields(object));
	}

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> fields(ObjectNode object) {
		Object value = this.ejson.fromJson(object);
		return (Map<String, @Nullable Object>) Objects.requireNonNull(value);
	}

	/**
	 * Build the typed document of the given id and fields.
	 * @throws IllegalArgumentException if the fields do not bind to the document type
	 */
	@SuppressWarnings("unchecked")
	T decode(@Nullable String id, Map<String, @Nullable Object> fields) {
		if (this.map) {
			Map<String, @Nullable Object> document = new LinkedHashMap<>();
			if (id != null) {
				document.put(ID, id);
			}
			fields.forEach((key, value) -> document.put(key, Ejson.clone(value)));
			return (T) document;
		}
		try {
			ObjectNode node = (ObjectNode) this.ejson.toJson(fields);
			if (id != null) {
				node.put(this.idProperty, id);
			}
			return Objects.requireNonNull(this.ejson.convert(node, this.type), "Document must not be null");
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					"Fields do not convert to " + this.type.getName() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Make the stored version of a document: its wire id (pass the previous version's to
	 * share the same instance) and one snapshot of its fields.
	 */
	StoredDocument<T> store(String id, @Nullable String wireId, T value, Map<String, @Nullable Object> fields) {
		// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type
		// argument (uber/NullAway#1126)
		@SuppressWarnings("NullAway")
		DocumentSnapshot snapshot = DocumentSnapshot.of(fields);
		return new StoredDocument<>(id, (wireId != null) ? wireId : DocumentIds.stringify(id), value, snapshot);
	}

	/**
	 * A document split into its id and fields.
	 */
	record Encoded(@Nullable String id, Map<String, @Nullable Object> fields) {
	}

}
