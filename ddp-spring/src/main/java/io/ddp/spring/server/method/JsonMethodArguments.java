package io.ddp.spring.server.method;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@link MethodArguments} over the JSON array of a call's {@code params}.
 */
final class JsonMethodArguments implements MethodArguments {

	private final ArrayNode params;

	private final Ejson ejson;

	JsonMethodArguments(ArrayNode params, Ejson ejson) {
		this.params = params;
		this.ejson = ejson;
	}

	static JsonMethodArguments of(MethodArguments arguments, Ejson ejson) {
		return (arguments instanceof JsonMethodArguments json) ? json
				: new JsonMethodArguments(arguments.json(), ejson);
	}

	@Override
	public int size() {
		return this.params.size();
	}

	@Override
	public @Nullable Object get(int index) {
		JsonNode node = json(index);
		return (node != null) ? this.ejson.fromJson(node) : null;
	}

	@Override
	public <T> @Nullable T get(int index, Class<T> type) {
		return convert(index, this.ejson.mapper().constructType(type));
	}

	<T> @Nullable T convert(int index, JavaType type) {
		JsonNode node = json(index);
		if (node == null) {
			return null;
		}
		return convert(node, type, index);
	}

	@SuppressWarnings("unchecked")
	<T> @Nullable T convert(JsonNode node, JavaType type, int index) {
		try {
			if (type.getRawClass() == Object.class) {
				// Untyped: decode the tree directly, without a databind parser per
				// argument.
				return (T) this.ejson.fromJson(node);
			}
			return this.ejson.convert(node, type);
		}
		catch (RuntimeException ex) {
			// Meteor's check() failures reach clients as 400 "Match failed"; a value
			// that does not bind to the declared Java type is the same mistake.
			throw new DdpException(400, "Match failed", null,
					new IllegalArgumentException("Argument " + index + " does not convert to " + type, ex));
		}
	}

	@Override
	public ArrayNode json() {
		return this.params;
	}

}
