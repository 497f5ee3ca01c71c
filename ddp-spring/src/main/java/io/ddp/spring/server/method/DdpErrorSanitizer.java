package io.ddp.spring.server.method;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * Turns an exception thrown by a method or publication into the error the client may see
 * (Meteor's {@code sanitizedError}). Declare beans of this type; they are asked in order,
 * and an exception no sanitizer claims is sent as {@code 500 Internal server
 * error} and logged on the server only.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpErrorSanitizer {

	/**
	 * Return the client-safe error for the given exception, or {@code null} to leave it
	 * to the next sanitizer.
	 * @param error the exception
	 * @return the error to send, or {@code null}
	 */
	@Nullable DdpException sanitize(Throwable error);

}
