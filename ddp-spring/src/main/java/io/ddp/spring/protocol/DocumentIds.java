package io.ddp.spring.protocol;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The escaping of document ids in the {@code id} field of DDP data messages, Meteor's
 * {@code MongoID.idStringify} and {@code MongoID.idParse}:
 * <table>
 * <caption>Id encoding</caption>
 * <tr>
 * <th>id</th>
 * <th>wire form</th>
 * </tr>
 * <tr>
 * <td>{@link ObjectId}</td>
 * <td>its 24 hex characters</td>
 * </tr>
 * <tr>
 * <td>string of 24 lowercase hex characters, or starting with {@code -}, {@code ~} or
 * <code>{</code></td>
 * <td>{@code -} + string</td>
 * </tr>
 * <tr>
 * <td>{@code ""} and other strings</td>
 * <td>unchanged</td>
 * </tr>
 * <tr>
 * <td>number, boolean, {@code null}</td>
 * <td>{@code ~} + JSON, for example {@code ~42}</td>
 * </tr>
 * </table>
 * JavaScript's {@code undefined}, written {@code -}, parses to {@code null}.
 *
 * @since 0.1.0
 */
public final class DocumentIds {

	// Plain JSON for "~" ids: no EJSON, no trailing garbage
	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private DocumentIds() {
	}

	/**
	 * Encode a document id for the wire.
	 * @param id the id: an {@link ObjectId}, a {@link String}, a {@link Number}, a
	 * {@link Boolean} or {@code null}
	 * @return the wire form
	 * @throws IllegalArgumentException for any other kind of id, which Meteor does not
	 * support either
	 */
	public static String stringify(@Nullable Object id) {
		if (id instanceof ObjectId objectId) {
			return objectId.hexString();
		}
		if (id instanceof String string) {
			if (string.isEmpty()) {
				return string;
			}
			char first = string.charAt(0);
			if (first == '-' || first == '~' || first == '{' || ObjectId.isHexString(string)) {
				return "-" + string;
			}
			return string;
		}
		if (id == null || id instanceof Boolean) {
			return "~" + id;
		}
		if (id instanceof Number number) {
			return "~" + numberToJson(number);
		}
		throw new IllegalArgumentException(
				"Meteor does not currently support objects other than ObjectID as ids: " + id.getClass().getName());
	}

	private static String numberToJson(Number number) {
		if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
				|| number instanceof BigInteger || number instanceof AtomicInteger || number instanceof AtomicLong) {
			return number.toString();
		}
		// JSON.stringify of a JavaScript number: 1.0 is "1", NaN and the infinities
		// "null"
		double value = (number instanceof Float) ? Double.parseDouble(number.toString()) : number.doubleValue();
		return (Double.isNaN(value) || Double.isInfinite(value)) ? "null" : JsValues.numberToString(value);
	}

	/**
	 * Decode a document id from the wire.
	 * @param wireId the wire form
	 * @return the id: an {@link ObjectId}, a {@link String}, a {@link Number}, a
	 * {@link Boolean} or {@code null}
	 * @throws IllegalArgumentException if a {@code ~} id is not valid JSON
	 */
	public static @Nullable Object parse(String wireId) {
		if (wireId.isEmpty()) {
			return wireId;
		}
		if (wireId.equals("-")) {
			// JavaScript's undefined
			return null;
		}
		char first = wireId.charAt(0);
		if (first == '-') {
			return wireId.substring(1);
		}
		if (first == '~') {
			try {
				return JSON.readValue(wireId.substring(1), Object.class);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("Invalid document id '" + wireId + "'", ex);
			}
		}
		if (ObjectId.isHexString(wireId)) {
			return new ObjectId(wireId);
		}
		return wireId;
	}

}
