package io.ddp.spring.test.tester;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The outcome of one method call: its {@code result} frame, which holds either a result
 * or an error.
 *
 * @since 0.1.0
 */
public final class CallSpec {

	private final String method;

	private final JsonNode frame;

	private final Ejson ejson;

	CallSpec(String method, JsonNode frame, Ejson ejson) {
		this.method = method;
		this.frame = frame;
		this.ejson = ejson;
	}

	/**
	 * Assert that the call succeeded and return its result.
	 * @return the result, to assert on
	 * @throws AssertionError when the call failed
	 */
	public ResultSpec result() {
		JsonNode error = this.frame.get("error");
		if (error != null) {
			throw new AssertionError("Expected method '" + this.method + "' to succeed but it failed: " + error);
		}
		return new ResultSpec(this.method, this.frame.get("result"), this.ejson);
	}

	/**
	 * Assert that the call succeeded and convert its result.
	 * @param <T> the type
	 * @param type the type to convert the EJSON result to
	 * @return the converted result, {@code null} for {@code null} or no result
	 */
	public <T> @Nullable T resultAs(Class<T> type) {
		return result().as(type);
	}

	/**
	 * Assert that the call succeeded and convert its result.
	 * @param <T> the type
	 * @param type the type to convert the EJSON result to, e.g. a list of records
	 * @return the converted result, {@code null} for {@code null} or no result
	 */
	public <T> @Nullable T resultAs(ParameterizedTypeReference<T> type) {
		return result().as(type);
	}

	/**
	 * Assert that the call failed and return its error.
	 * @return the DDP error, to assert on
	 * @throws AssertionError when the call succeeded
	 */
	public ErrorSpec error() {
		JsonNode error = this.frame.get("error");
		if (error == null) {
			throw new AssertionError("Expected method '" + this.method + "' to fail but it returned "
					+ ResultSpec.describe(this.frame.get("result")));
		}
		return new ErrorSpec("method '" + this.method + "'", error, this.ejson);
	}

	/**
	 * Return the {@code result} frame as the server sent it.
	 * @return the frame
	 */
	public JsonNode frame() {
		return this.frame;
	}

	@Override
	public String toString() {
		return "call of '" + this.method + "': " + this.frame;
	}

}
