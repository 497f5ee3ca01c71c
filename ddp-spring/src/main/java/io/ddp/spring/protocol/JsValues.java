package io.ddp.spring.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The few JavaScript conversions Meteor's behaviour depends on, applied to plain JSON
 * values ({@link Map}, {@link List}, {@link String}, {@link Number}, {@link Boolean},
 * {@code null}).
 */
final class JsValues {

	private static final double TWO_POW_32 = 4294967296.0;

	// ECMAScript's StrDecimalLiteral; Double.parseDouble alone would also accept "1d" or
	// "NaN"
	private static final Pattern DECIMAL_LITERAL = Pattern
		.compile("[+-]?(?:Infinity|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");

	private static final Pattern NON_DECIMAL_LITERAL = Pattern.compile("0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)");

	private JsValues() {
	}

	/**
	 * JavaScript's {@code x >>> 0}: truncate toward zero, then reduce modulo 2^32.
	 * @param x the value
	 * @return the unsigned 32-bit result, as a double
	 */
	static double toUint32(double x) {
		if (Double.isNaN(x) || Double.isInfinite(x)) {
			return 0;
		}
		double truncated = (x < 0) ? Math.ceil(x) : Math.floor(x);
		double result = truncated % TWO_POW_32;
		return (result < 0) ? result + TWO_POW_32 : result + 0.0;
	}

	/**
	 * JavaScript's {@code x | 0}: truncate toward zero, then reduce to a signed 32-bit
	 * integer.
	 * @param x the value
	 * @return the signed 32-bit result, as a double
	 */
	static double toInt32(double x) {
		double unsigned = toUint32(x);
		return (unsigned >= 2147483648.0) ? unsigned - TWO_POW_32 : unsigned;
	}

	/**
	 * JavaScript's {@code Number(value)} for a JSON value.
	 * @param value the value
	 * @return the numeric value, {@code NaN} when JavaScript would give {@code NaN}
	 */
	static double toNumber(@Nullable Object value) {
		if (value == null) {
			return 0;
		}
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		if (value instanceof Boolean bool) {
			return bool ? 1 : 0;
		}
		if (value instanceof String string) {
			return stringToNumber(string);
		}
		if (value instanceof List<?>) {
			// Arrays convert through their string form ("" for [], "5" for [5])
			return stringToNumber(toJsString(value));
		}
		return Double.NaN;
	}

	private static double stringToNumber(String value) {
		String trimmed = value.strip();
		if (trimmed.isEmpty()) {
			return 0;
		}
		if (DECIMAL_LITERAL.matcher(trimmed).matches()) {
			if (trimmed.endsWith("Infinity")) {
				return trimmed.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
			}
			return Double.parseDouble(trimmed);
		}
		if (NON_DECIMAL_LITERAL.matcher(trimmed).matches()) {
			char prefix = Character.toLowerCase(trimmed.charAt(1));
			int radix = (prefix == 'x') ? 16 : (prefix == 'o') ? 8 : 2;
			return new BigInteger(trimmed.substring(2), radix).doubleValue();
		}
		return Double.NaN;
	}

	/**
	 * JavaScript's {@code String(value)} for a JSON value.
	 * @param value the value
	 * @return the string form
	 */
	static String toJsString(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof String string) {
			return string;
		}
		if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
			return numberToString(((Number) value).doubleValue());
		}
		if (value instanceof List<?> list) {
			StringBuilder joined = new StringBuilder();
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					joined.append(',');
				}
				Object element = list.get(i);
				if (element != null) {
					joined.append(toJsString(element));
				}
			}
			return joined.toString();
		}
		if (value instanceof Map<?, ?>) {
			return "[object Object]";
		}
		return value.toString();
	}

	/**
	 * JavaScript's {@code Number.prototype.toString()} (and {@code JSON.stringify} for
	 * finite numbers): the shortest digits that read back as the same double, in plain
	 * notation from 1e-6 up to 1e21 and in exponent notation outside.
	 * @param value the number
	 * @return its JavaScript string form
	 */
	static String numberToString(double value) {
		if (Double.isNaN(value)) {
			return "NaN";
		}
		if (Double.isInfinite(value)) {
			return (value > 0) ? "Infinity" : "-Infinity";
		}
		if (value == 0) {
			return "0";
		}
		String sign = (value < 0) ? "-" : "";
		BigDecimal shortest = shortestDecimal(Math.abs(value));
		String digits = shortest.unscaledValue().toString();
		int k = digits.length();
		int n = k - shortest.scale();
		StringBuilder result = new StringBuilder(sign);
		if (k <= n && n <= 21) {
			result.append(digits).append("0".repeat(n - k));
		}
		else if (0 < n && n <= 21) {
			result.append(digits, 0, n).append('.').append(digits, n, k);
		}
		else if (-6 < n && n <= 0) {
			result.append("0.").append("0".repeat(-n)).append(digits);
		}
		else {
			int exponent = n - 1;
			result.append(digits.charAt(0));
			if (k > 1) {
				result.append('.').append(digits, 1, k);
			}
			result.append('e').append((exponent < 0) ? '-' : '+').append(Math.abs(exponent));
		}
		return result.toString();
	}

	private static BigDecimal shortestDecimal(double value) {
		BigDecimal exact = new BigDecimal(value);
		for (int precision = 1; precision < 17; precision++) {
			BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (rounded.doubleValue() == value) {
				return rounded.stripTrailingZeros();
			}
		}
		return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
	}

}
