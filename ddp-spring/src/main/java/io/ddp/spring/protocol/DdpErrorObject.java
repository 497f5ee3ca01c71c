package io.ddp.spring.protocol;

import java.math.BigDecimal;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The DDP error object, as the server writes it and the client reads it: the shape Meteor
 * gives a serialized {@code Meteor.Error}. It is plain JSON, not EJSON.
 * <ul>
 * <li>{@code error}: the code, a string or a number (whole numbers print as
 * integers);</li>
 * <li>{@code reason} and {@code details}: when present;</li>
 * <li>{@code message}: {@code "<reason> [<error>]"};</li>
 * <li>{@code errorType}: {@code "Meteor.Error"}, and {@code isClientSafe: true} first, as
 * Meteor writes them; a reader ignores both and {@code message}.</li>
 * </ul>
 *
 * @since 0.1.0
 */
public final class DdpErrorObject {

	private static final JsonMapper PLAIN = JsonMappers.plain();

	private DdpErrorObject() {
	}

	/**
	 * Write the error object in Meteor's member order.
	 * @param g the generator, positioned where a value goes
	 * @param error the error
	 */
	public static void write(JsonGenerator g, DdpException error) {
		g.writeStartObject();
		g.writeBooleanProperty("isClientSafe", true);
		g.writeName("error");
		if (error.getError() instanceof Number number) {
			writeNumber(g, number);
		}
		else {
			g.writeString((String) error.getError());
		}
		if (error.getReason() != null) {
			g.writeStringProperty("reason", error.getReason());
		}
		if (error.getDetails() != null) {
			g.writeName("details");
			g.writePOJO(error.getDetails());
		}
		g.writeStringProperty("message", error.getMessage());
		g.writeStringProperty("errorType", "Meteor.Error");
		g.writeEndObject();
	}

	/**
	 * Read an error object a peer sent; a malformed one becomes an {@code unknown-error},
	 * so a caller always gets an answer.
	 * @param error the error object
	 * @return the error
	 */
	public static DdpException read(JsonNode error) {
		if (!error.isObject()) {
			return new DdpException("unknown-error", "Malformed error object: " + error);
		}
		JsonNode code = error.get("error");
		Object errorCode;
		if (code == null || code.isNull()) {
			errorCode = "unknown-error";
		}
		else if (code.isNumber()) {
			errorCode = code.numberValue();
		}
		else {
			errorCode = code.isString() ? code.asString() : code.toString();
		}
		JsonNode reasonNode = error.get("reason");
		String reason = (reasonNode != null && reasonNode.isString()) ? reasonNode.asString() : null;
		JsonNode detailsNode = error.get("details");
		Object details = (detailsNode != null && !detailsNode.isNull()) ? PLAIN.treeToValue(detailsNode, Object.class)
				: null;
		return new DdpException(errorCode, reason, details);
	}

	private static void writeNumber(JsonGenerator g, Number number) {
		if (JsNumbers.isIntegral(number)) {
			g.writeNumber(number.longValue());
		}
		else if (number instanceof BigDecimal decimal) {
			g.writeNumber(decimal);
		}
		else {
			double value = number.doubleValue();
			if (value == Math.rint(value) && Math.abs(value) < 1e15) {
				g.writeNumber((long) value);
			}
			else {
				g.writeNumber(value);
			}
		}
	}

}
