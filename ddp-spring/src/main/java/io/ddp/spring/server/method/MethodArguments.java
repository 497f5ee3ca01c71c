package io.ddp.spring.server.method;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * The positional arguments of a DDP method call, converted on demand with EJSON.
 *
 * @since 0.1.0
 */
public interface MethodArguments {

	/**
	 * Wrap a call's {@code params}.
	 * @param params the arguments as sent
	 * @param ejson the EJSON codec that converts them
	 * @return the arguments
	 */
	static MethodArguments of(ArrayNode params, Ejson ejson) {
		return new JsonMethodArguments(params, ejson);
	}

	/**
	 * Return the number of arguments.
	 * @return the count
	 */
	int size();

	/**
	 * Return an argument as a plain EJSON value (map, list, string, number, boolean,
	 * {@code Instant}, {@code byte[]}, ...), {@code null} when absent.
	 * @param index the position
	 * @return the value
	 */
	@Nullable Object get(int index);

	/**
	 * Return an argument converted to the given type, {@code null} when absent.
	 * @param <T> the type
	 * @param index the position
	 * @param type the type
	 * @return the value
	 * @throws io.ddp.spring.protocol.DdpException 400 {@code Match failed} when it does
	 * not convert
	 */
	<T> @Nullable T get(int index, Class<T> type);

	/**
	 * Return the arguments as they arrived, as a JSON array with EJSON encodings.
	 * @return the arguments
	 */
	ArrayNode json();

	/**
	 * Return one argument as JSON, {@code null} when absent.
	 * @param index the position
	 * @return the argument
	 */
	default @Nullable JsonNode json(int index) {
		return (index < json().size()) ? json().get(index) : null;
	}

}
