package io.ddp.spring.collection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.JsTruthiness;
import io.ddp.spring.protocol.ObjectId;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodArguments;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A collection's mutator methods {@code /<name>/insert}, {@code /<name>/update} and
 * {@code /<name>/remove} with Meteor's checks and wording
 * ({@code packages/allow-deny/allow-deny.js}): id selectors only, the allowed update
 * operators, allow/deny rules, and the id of an insert without one taken from the
 * method's random stream before the rules run, so it is the id the client's stub made.
 * Modifiers that cannot be applied answer 409 with the reason, as Meteor wraps
 * Minimongo's errors; documents that do not fit the document type answer
 * {@code 400 Match failed}.
 */
final class CollectionMutators<T> {

	private static final Set<String> ALLOWED_UPDATE_OPERATIONS = Set.of("$inc", "$set", "$unset", "$addToSet", "$pop",
			"$pullAll", "$pull", "$pushAll", "$push", "$bit");

	private static final String NO_REPLACE = "Access denied. In a restricted collection you can only update"
			+ " documents, not replace them. Use a Mongo update operator, such as '$set'.";

	// A selector that is an id of a kind this collection never holds
	private static final Object FOREIGN_ID = new Object();

	private final DdpCollection<T> collection;

	private final AllowDenyRules<T> rules;

	CollectionMutators(DdpCollection<T> collection, AllowDenyRules<T> rules) {
		this.collection = collection;
		this.rules = rules;
	}

	void register(DdpMethodRegistry registry) {
		String prefix = "/" + this.collection.name() + "/";
		registry.register(prefix + "insert", new Handler("insert"));
		registry.register(prefix + "update", new Handler("update"));
		registry.register(prefix + "remove", new Handler("remove"));
	}

	private Object insert(DdpMethodInvocation invocation, MethodArguments arguments) {
		JsonNode json = arguments.json(0);
		if (json == null || !json.isObject()) {
			throw matchFailed(null);
		}
		// First, so the rules cannot use the stream before the id is drawn
		JsonNode clientId = json.get(DocumentCodec.ID);
		String generatedId = (clientId == null || clientId.isNull()) ? this.collection.newId() : null;
		this.rules.checkRestricted("insert");
		Map<String, @Nullable Object> fields = fields(arguments.get(0));
		Object id = fields.remove(DocumentCodec.ID);
		if ((id != null && !(id instanceof String)) || fields.containsKey(this.collection.codec().idProperty())) {
			throw matchFailed(null);
		}
		T document = decode((String) id, fields);
		this.rules.checkInsert(invocation.userId(), document);
		// Without an id the client sent none or null, so one was generated
		String documentId = (id != null) ? (String) id
				: Objects.requireNonNull(generatedId, "An insert without an id has a generated one");
		try {
			this.collection.insert(documentId, fields, true);
		}
		catch (DuplicateDocumentException ex) {
			// Meteor wraps the store's duplicate key error as 409
			throw new DdpException(409, "Duplicate _id '" + documentId + "'", null, ex);
		}
		return documentId;
	}

	private Object update(DdpMethodInvocation invocation, MethodArguments arguments) {
		Object id = idSelector(arguments.get(0), "update");
		this.rules.checkRestricted("update");
		JsonNode json = arguments.json(1);
		if (json == null || !json.isObject()) {
			throw matchFailed(null);
		}
		Map<String, @Nullable Object> modifier = fields(arguments.get(1));
		if (arguments.get(2) instanceof Map<?, ?> options && JsTruthiness.isTruthy(options.get("upsert"))) {
			throw new DdpException(403, "Access denied. Upserts not allowed in a restricted collection.");
		}
		if (modifier.isEmpty()) {
			throw new DdpException(403, NO_REPLACE);
		}
		for (String operator : modifier.keySet()) {
			if (!operator.startsWith("$")) {
				throw new DdpException(403, NO_REPLACE);
			}
			if (!ALLOWED_UPDATE_OPERATIONS.contains(operator)) {
				throw new DdpException(403,
						"Access denied. Operator " + operator + " not allowed in a restricted collection.");
			}
		}
		List<String> fieldNames = Modifiers.modifiedFields(modifier);
		StoredDocument<T> document = (id instanceof String string) ? this.collection.stored(string) : null;
		if (document == null) {
			return 0;
		}
		this.rules.checkUpdate(invocation.userId(), document.value(), fieldNames, modifier);
		try {
			// NullAway 0.12.3 reads the wildcard of update's parameter as a non-null
			// type argument (uber/NullAway#1126)
			@SuppressWarnings("NullAway")
			boolean updated = this.collection.update(document.id(), modifier);
			return updated ? 1 : 0;
		}
		catch (ModifierException ex) {
			throw new DdpException(409, ex.getMessage(), null, ex);
		}
		catch (IllegalArgumentException ex) {
			throw matchFailed(ex);
		}
	}

	private Object remove(DdpMethodInvocation invocation, MethodArguments arguments) {
		Object id = idSelector(arguments.get(0), "remove");
		this.rules.checkRestricted("remove");
		StoredDocument<T> document = (id instanceof String string) ? this.collection.stored(string) : null;
		if (document == null) {
			return 0;
		}
		this.rules.checkRemove(invocation.userId(), document.value());
		return this.collection.remove(document.id()) ? 1 : 0;
	}

	/**
	 * Meteor's {@code LocalCollection._selectorIsIdPerhapsAsObject}: an id, or
	 * {@code {_id: id}}; ids other than strings never match here.
	 */
	private static Object idSelector(@Nullable Object selector, String method) {
		Object id = selector;
		if (selector instanceof Map<?, ?> map && map.size() == 1 && map.containsKey(DocumentCodec.ID)) {
			id = map.get(DocumentCodec.ID);
		}
		if (id instanceof String) {
			return id;
		}
		if (id instanceof Number || id instanceof ObjectId) {
			return FOREIGN_ID;
		}
		throw new DdpException(403, "Not permitted. Untrusted code may only " + method + " documents by ID.");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> fields(@Nullable Object value) {
		// A JSON object may decode as an EJSON value ($date, $binary, ...): Meteor's
		// check(doc, Object) fails on those too.
		if (!(value instanceof Map<?, ?>)) {
			throw matchFailed(null);
		}
		return new LinkedHashMap<>((Map<String, @Nullable Object>) value);
	}

	private T decode(@Nullable String id, Map<String, @Nullable Object> fields) {
		try {
			return this.collection.codec().decode(id, fields);
		}
		catch (RuntimeException ex) {
			throw matchFailed(ex);
		}
	}

	private static DdpException matchFailed(@Nullable Throwable cause) {
		return new DdpException(400, "Match failed", null, cause);
	}

	/**
	 * One of the three methods.
	 */
	private final class Handler implements DdpMethodHandler {

		private final String method;

		Handler(String method) {
			this.method = method;
		}

		@Override
		public Object handle(DdpMethodInvocation invocation, MethodArguments arguments) {
			return switch (this.method) {
				case "insert" -> insert(invocation, arguments);
				case "update" -> update(invocation, arguments);
				default -> remove(invocation, arguments);
			};
		}

		@Override
		public String toString() {
			return "mutator method '" + this.method + "' of " + CollectionMutators.this.collection;
		}

	}

}
