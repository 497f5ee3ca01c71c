package io.ddp.spring.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a JSON value cannot be decoded as EJSON, for example because it names a
 * custom type that is not registered or carries invalid base64 binary data. A DDP server
 * answers such input with a "Parse error".
 *
 * @since 0.1.0
 */
public class EjsonException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new exception.
	 * @param message the detail message
	 */
	public EjsonException(String message) {
		super(message);
	}

	/**
	 * Create a new exception.
	 * @param message the detail message
	 * @param cause the cause, if any
	 */
	public EjsonException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
