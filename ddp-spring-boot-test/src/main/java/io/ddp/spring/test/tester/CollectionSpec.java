package io.ddp.spring.test.tester;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The documents of one collection as a client's local cache would hold them after the
 * frames received so far.
 *
 * @since 0.1.0
 */
public final class CollectionSpec {

	private final String collection;

	private final Map<String, Map<String, Object>> documents;

	private final Ejson ejson;

	CollectionSpec(String collection, Map<String, Map<String, Object>> documents, Ejson ejson) {
		this.collection = collection;
		this.documents = documents;
		this.ejson = ejson;
	}

	/**
	 * Assert the number of documents.
	 * @param size the expected number
	 * @return this spec
	 */
	public CollectionSpec hasSize(int size) {
		if (this.documents.size() != size) {
			throw new AssertionError("Expected " + size + " document(s) in '" + this.collection + "' but got "
					+ this.documents.size() + ": " + describe());
		}
		return this;
	}

	/**
	 * Assert that the collection is empty.
	 * @return this spec
	 */
	public CollectionSpec isEmpty() {
		return hasSize(0);
	}

	/**
	 * Assert that these documents are there, among others.
	 * @param ids the document ids as sent (strings)
	 * @return this spec
	 */
	public CollectionSpec containsIds(String... ids) {
		List<String> missing = new ArrayList<>(Arrays.asList(ids));
		missing.removeAll(this.documents.keySet());
		if (!missing.isEmpty()) {
			throw new AssertionError(
					"Expected '" + this.collection + "' to contain " + missing + " but it holds " + describe());
		}
		return this;
	}

	/**
	 * Assert that none of these documents is there.
	 * @param ids the document ids as sent (strings)
	 * @return this spec
	 */
	public CollectionSpec doesNotContainIds(String... ids) {
		for (String id : ids) {
			if (this.documents.containsKey(id)) {
				throw new AssertionError(
						"Expected '" + this.collection + "' not to contain " + id + " but it holds " + describe());
			}
		}
		return this;
	}

	/**
	 * Assert that a document has these fields, among others (compared as EJSON).
	 * @param id the document id
	 * @param fields the expected fields, a map or an object converted to EJSON
	 * @return this spec
	 */
	public CollectionSpec hasFields(String id, Object fields) {
		JsonNode document = document(id);
		JsonNode expected = this.ejson.toJson(fields);
		expected.properties().forEach((entry) -> {
			JsonNode actual = document.get(entry.getKey());
			if (actual == null || !Ejson.equals(actual, entry.getValue())) {
				throw new AssertionError("Expected '" + id + "' in '" + this.collection + "' to have " + entry.getKey()
						+ "=" + entry.getValue() + " but it is " + document);
			}
		});
		return this;
	}

	/**
	 * Return a document with its {@code _id} and fields.
	 * @param id the document id
	 * @return the document as JSON
	 * @throws AssertionError when the collection does not hold it
	 */
	public JsonNode document(String id) {
		Map<String, Object> fields = this.documents.get(id);
		if (fields == null) {
			throw new AssertionError(
					"Expected '" + this.collection + "' to contain " + id + " but it holds " + describe());
		}
		ObjectNode document = JsonNodeFactory.instance.objectNode().put("_id", id);
		fields.forEach((name, value) -> document.set(name, (JsonNode) value));
		return document;
	}

	/**
	 * Convert a document, with its {@code _id}, from EJSON.
	 * @param <T> the type
	 * @param id the document id
	 * @param type the type
	 * @return the document
	 */
	public <T> @Nullable T document(String id, Class<T> type) {
		return this.ejson.convert(document(id), type);
	}

	/**
	 * Return the document ids, in the order the documents were added.
	 * @return the ids
	 */
	public List<String> ids() {
		return List.copyOf(this.documents.keySet());
	}

	private String describe() {
		Map<String, Object> all = new LinkedHashMap<>();
		this.documents.keySet().forEach((id) -> all.put(id, document(id).toString()));
		return all.toString();
	}

	@Override
	public String toString() {
		return "'" + this.collection + "': " + describe();
	}

}
