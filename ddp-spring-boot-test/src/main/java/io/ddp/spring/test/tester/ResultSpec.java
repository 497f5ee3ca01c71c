package io.ddp.spring.test.tester;

import java.util.function.Consumer;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The result of a successful method call, as EJSON. Values compare with EJSON's equality,
 * so {@code 3} equals {@code 3L} and a {@code Date} equals its {@code $date}.
 *
 * @since 0.1.0
 */
public final class ResultSpec {

	private final String method;

	private final @Nullable JsonNode result;

	private final Ejson ejson;

	ResultSpec(String method, @Nullable JsonNode result, Ejson ejson) {
		this.method = method;
		this.result = result;
		this.ejson = ejson;
	}

	/**
	 * Assert that the result equals the value converted to EJSON.
	 * @param expected the expected value: a string, number, map, list, record...
	 * @return this spec
	 */
	public ResultSpec isEqualTo(@Nullable Object expected) {
		JsonNode expectedJson = this.ejson.toJson(expected);
		if (this.result == null || !Ejson.equals(this.ejson.fromJson(this.result), this.ejson.fromJson(expectedJson))) {
			throw new AssertionError("Expected method '" + this.method + "' to return " + expectedJson
					+ " but it returned " + describe(this.result));
		}
		return this;
	}

	/**
	 * Assert that the result equals the given JSON (EJSON) text.
	 * @param json the expected result, e.g. {@code {"done":true}}
	 * @return this spec
	 */
	public ResultSpec isEqualToJson(String json) {
		JsonNode expected = this.ejson.mapper().readTree(json);
		if (this.result == null || !Ejson.equals(this.ejson.fromJson(this.result), this.ejson.fromJson(expected))) {
			throw new AssertionError("Expected method '" + this.method + "' to return " + expected + " but it returned "
					+ describe(this.result));
		}
		return this;
	}

	/**
	 * Assert that the result is {@code null}.
	 * @return this spec
	 */
	public ResultSpec isNull() {
		if (this.result == null || !this.result.isNull()) {
			throw new AssertionError(
					"Expected method '" + this.method + "' to return null but it returned " + describe(this.result));
		}
		return this;
	}

	/**
	 * Assert that the {@code result} frame has no {@code result} (a method that returned
	 * nothing, {@code undefined} in JavaScript).
	 * @return this spec
	 */
	public ResultSpec isUndefined() {
		if (this.result != null) {
			throw new AssertionError(
					"Expected method '" + this.method + "' to return nothing but it returned " + this.result);
		}
		return this;
	}

	/**
	 * Run assertions on the result's JSON.
	 * @param assertions the assertions, e.g. AssertJ's
	 * @return this spec
	 */
	public ResultSpec satisfies(Consumer<JsonNode> assertions) {
		assertions.accept(json());
		return this;
	}

	/**
	 * Return the result as the server sent it.
	 * @return the JSON, a JSON {@code null} node when the method returned nothing
	 */
	public JsonNode json() {
		return (this.result != null) ? this.result : this.ejson.toJson(null);
	}

	/**
	 * Convert the EJSON result.
	 * @param <T> the type
	 * @param type the type
	 * @return the value, {@code null} for {@code null} or no result
	 */
	public <T> @Nullable T as(Class<T> type) {
		return (this.result != null) ? this.ejson.convert(this.result, type) : null;
	}

	/**
	 * Convert the EJSON result.
	 * @param <T> the type
	 * @param type the type, e.g. {@code new ParameterizedTypeReference<List<Todo>>() {}}
	 * @return the value, {@code null} for {@code null} or no result
	 */
	public <T> @Nullable T as(ParameterizedTypeReference<T> type) {
		if (this.result == null) {
			return null;
		}
		JavaType javaType = this.ejson.mapper().getTypeFactory().constructType(type.getType());
		return this.ejson.convert(this.result, javaType);
	}

	static String describe(@Nullable JsonNode result) {
		return (result != null) ? result.toString() : "nothing (no result)";
	}

	@Override
	public String toString() {
		return "result of '" + this.method + "': " + describe(this.result);
	}

}
