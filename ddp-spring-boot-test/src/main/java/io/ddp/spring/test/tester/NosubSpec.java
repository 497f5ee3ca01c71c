package io.ddp.spring.test.tester;

import io.ddp.spring.protocol.Ejson;
import tools.jackson.databind.JsonNode;

/**
 * The {@code nosub} that ended a subscription: with an error when the publication failed,
 * without one when it stopped or the client unsubscribed.
 *
 * @since 0.1.0
 */
public final class NosubSpec {

	private final String publication;

	private final JsonNode frame;

	private final Ejson ejson;

	NosubSpec(String publication, JsonNode frame, Ejson ejson) {
		this.publication = publication;
		this.frame = frame;
		this.ejson = ejson;
	}

	/**
	 * Assert that the subscription ended without an error.
	 * @return this spec
	 */
	public NosubSpec hasNoError() {
		if (this.frame.get("error") != null) {
			throw new AssertionError(
					"Expected publication '" + this.publication + "' to end without an error: " + this.frame);
		}
		return this;
	}

	/**
	 * Assert that the subscription ended with an error of the given code.
	 * @param code a number such as {@code 404} or a string code
	 * @return the error, for more assertions
	 */
	public ErrorSpec hasError(Object code) {
		return error().hasCode(code);
	}

	/**
	 * Assert that the subscription ended with an error.
	 * @return the error, to assert on
	 */
	public ErrorSpec error() {
		JsonNode error = this.frame.get("error");
		if (error == null) {
			throw new AssertionError(
					"Expected publication '" + this.publication + "' to fail but it ended without an error");
		}
		return new ErrorSpec("publication '" + this.publication + "'", error, this.ejson);
	}

	/**
	 * Return the {@code nosub} frame as the server sent it.
	 * @return the frame
	 */
	public JsonNode frame() {
		return this.frame;
	}

}
