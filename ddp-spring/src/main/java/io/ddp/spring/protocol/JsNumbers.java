package io.ddp.spring.protocol;

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

}
