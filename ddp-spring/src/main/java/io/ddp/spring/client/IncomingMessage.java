package io.ddp.spring.client;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One parsed server message. Only the members the client uses are kept; a method result
 * is already decoded into the caller's type when its invoker was known while parsing.
 *
 * @since 0.1.0
 */
final class IncomingMessage {

	@Nullable String msg;

	@Nullable String id;

	@Nullable String session;

	@Nullable String version;

	@Nullable String collection;

	@Nullable String reason;

	@Nullable JsonNode fields;

	@Nullable List<String> cleared;

	@Nullable List<String> methods;

	@Nullable List<String> subs;

	@Nullable JsonNode error;

	boolean hasResult;

	/** The result, decoded by {@link #resultDecoder} when it was known while parsing. */
	@Nullable DecodedResult decoded;

	/** The raw result when it could not be decoded while parsing. */
	@Nullable JsonNode resultTree;

	boolean hasServerId;

	int memberCount;

	/**
	 * Whether this message changes or completes local data and so is buffered during
	 * quiescence ({@code added}, {@code changed}, {@code removed}, {@code ready},
	 * {@code updated}, {@code nosub}).
	 * @return whether a data message
	 */
	boolean isDataMessage() {
		String msg = this.msg;
		return msg != null && switch (msg) {
			case "added", "changed", "removed", "ready", "updated", "nosub" -> true;
			default -> false;
		};
	}

	/**
	 * A result decoded for its invoker: the typed value, the plain EJSON value when a
	 * result callback wants it, or the conversion failure.
	 *
	 * @param value the typed value
	 * @param plain the plain value, or {@code null} when not needed
	 * @param failure why the result could not be converted, or {@code null}
	 */
	record DecodedResult(@Nullable Object value, @Nullable Object plain, @Nullable RuntimeException failure) {
	}

}
