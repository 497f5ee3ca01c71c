package io.ddp.spring.protocol;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * JavaScript's truthiness of a JSON or decoded EJSON value, the test Meteor applies to a
 * message's {@code msg}, to options such as {@code resume} and {@code upsert}, and to
 * operands such as {@code $exists} and {@code $sort}.
 *
 * @since 0.1.0
 */
public final class JsTruthiness {

	private JsTruthiness() {
	}

	/**
	 * Whether JavaScript would take the value as true.
	 * @param value the value, or {@code null} when absent
	 * @return {@code false} for absent, {@code null}, {@code ""}, {@code false},
	 * {@code 0} and {@code NaN}; {@code true} otherwise
	 */
	public static boolean isTruthy(@Nullable JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return false;
		}
		if (value.isString()) {
			return !value.asString().isEmpty();
		}
		if (value.isBoolean()) {
			return value.asBoolean();
		}
		if (value.isNumber()) {
			// Not asDouble(), which throws past the range of a double: JavaScript reads
			// such a number as Infinity.
			double number = value.numberValue().doubleValue();
			return number != 0 && !Double.isNaN(number);
		}
		return true;
	}

	/**
	 * Whether JavaScript would take a decoded EJSON value as true.
	 * @param value the value
	 * @return {@code false} for {@code null}, {@code ""}, {@code false}, {@code 0} and
	 * {@code NaN}; {@code true} otherwise
	 */
	public static boolean isTruthy(@Nullable Object value) {
		if (value instanceof JsonNode node) {
			return isTruthy(node);
		}
		if (value == null || Boolean.FALSE.equals(value) || "".equals(value)) {
			return false;
		}
		return !(value instanceof Number number) || (number.doubleValue() != 0 && !Double.isNaN(number.doubleValue()));
	}

}
