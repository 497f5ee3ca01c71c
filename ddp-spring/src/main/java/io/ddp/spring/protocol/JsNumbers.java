package io.ddp.spring.protocol;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How Java numbers map onto JavaScript's single number type where DDP cares: a whole Java
 * integer type compares, adds and prints as an integer.
 *
 * @since 0.1.0
 */
public final class JsNumbers {

	private JsNumbers() {
	}

	/**
	 * Whether the number is of a Java integer type (not {@code BigInteger}, which may not
	 * fit a {@code long}).
	 * @param number the number
	 * @return whether integral
	 */
	public static boolean isIntegral(Number number) {
		return number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte
				|| number instanceof AtomicInteger || number instanceof AtomicLong;
	}

	/**
	 * The number JavaScript's {@code JSON.parse} makes of a JSON integer: an integer past
	 * the range of a {@code long} becomes the nearest double, or an infinity, as every
	 * JavaScript number is a double. Other numbers are returned as they are.
	 * @param number the number read from JSON
	 * @return the number a JavaScript peer would see
	 */
	public static Number fromJson(Number number) {
		if (number instanceof BigInteger integer && integer.bitLength() > 63) {
			return integer.doubleValue();
		}
		return number;
	}

}
