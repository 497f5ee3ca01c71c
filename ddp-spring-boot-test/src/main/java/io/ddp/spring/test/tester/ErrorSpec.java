package io.ddp.spring.test.tester;

import java.util.Objects;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A DDP error object (Meteor's {@code Meteor.Error}): its {@code error} code,
 * {@code reason} and {@code details}.
 *
 * @since 0.1.0
 */
public final class ErrorSpec {

	private final String source;

	private final JsonNode error;

	private final Ejson ejson;

	ErrorSpec(String source, JsonNode error, Ejson ejson) {
		this.source = source;
		this.error = error;
		this.ejson = ejson;
	}

	/**
	 * Assert the error code.
	 * @param code a number such as {@code 404} or a string such as
	 * {@code "validation-error"}
	 * @return this spec
	 */
	public ErrorSpec hasCode(Object code) {
		JsonNode actual = this.error.get("error");
		if (actual == null || !Ejson.equals(this.ejson.fromJson(actual), code)) {
			throw new AssertionError(
					"Expected " + this.source + " to fail with error " + code + " but got " + this.error);
		}
		return this;
	}

	/**
	 * Assert the reason.
	 * @param reason the expected reason
	 * @return this spec
	 */
	public ErrorSpec hasReason(String reason) {
		if (!Objects.equals(text("reason"), reason)) {
			throw new AssertionError(
					"Expected " + this.source + " to fail with reason '" + reason + "' but got " + this.error);
		}
		return this;
	}

	/**
	 * Assert the details, compared as EJSON.
	 * @param details the expected details
	 * @return this spec
	 */
	public ErrorSpec hasDetails(@Nullable Object details) {
		JsonNode actual = this.error.get("details");
		Object expected = this.ejson.fromJson(this.ejson.toJson(details));
		if (actual == null || !Ejson.equals(this.ejson.fromJson(actual), expected)) {
			throw new AssertionError("Expected " + this.source + " to fail with details " + this.ejson.toJson(details)
					+ " but got " + this.error);
		}
		return this;
	}

	/**
	 * Return the error object as the server sent it.
	 * @return the JSON
	 */
	public JsonNode json() {
		return this.error;
	}

	private @Nullable String text(String member) {
		JsonNode value = this.error.get(member);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	@Override
	public String toString() {
		return "error of " + this.source + ": " + this.error;
	}

}
