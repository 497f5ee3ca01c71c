package io.ddp.spring.protocol;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * An error that reaches the DDP peer as a Meteor error object: {@code error} (a string or
 * a number), {@code reason} and {@code details}. Throw it from a DDP method or
 * publication to send exactly that error to the client; any other exception is sent as a
 * sanitized {@code 500 Internal server error}. Client calls fail with it when the server
 * answers with an error.
 *
 * @since 0.1.0
 */
public class DdpException extends RuntimeException {

	private final Object error;

	private final @Nullable String reason;

	private final @Nullable Object details;

	/**
	 * Create an error with only a code.
	 * @param error the error code, a {@link String} or a {@link Number}
	 */
	public DdpException(Object error) {
		this(error, null, null);
	}

	/**
	 * Create an error with a code and a reason.
	 * @param error the error code, a {@link String} or a {@link Number}
	 * @param reason a human-readable reason
	 */
	public DdpException(Object error, @Nullable String reason) {
		this(error, reason, null);
	}

	/**
	 * Create an error with a code, a reason and details.
	 * @param error the error code, a {@link String} or a {@link Number}
	 * @param reason a human-readable reason
	 * @param details any JSON-serializable value sent along
	 */
	public DdpException(Object error, @Nullable String reason, @Nullable Object details) {
		super(messageOf(error, reason));
		Objects.requireNonNull(error, "'error' must not be null");
		if (!(error instanceof String) && !(error instanceof Number)) {
			throw new IllegalArgumentException(
					"'error' must be a String or a Number, not " + error.getClass().getName());
		}
		this.error = error;
		this.reason = reason;
		this.details = details;
	}

	/**
	 * Create an error that carries the exception that caused it (logged, never sent).
	 * @param error the error code, a {@link String} or a {@link Number}
	 * @param reason a human-readable reason
	 * @param details any JSON-serializable value sent along
	 * @param cause the cause
	 */
	public DdpException(Object error, @Nullable String reason, @Nullable Object details, @Nullable Throwable cause) {
		this(error, reason, details);
		if (cause != null) {
			initCause(cause);
		}
	}

	/**
	 * Return the error code: a {@link String} such as {@code "too-many-requests"} or a
	 * {@link Number} such as {@code 404}.
	 * @return the error code
	 */
	public Object getError() {
		return this.error;
	}

	/**
	 * Return the reason, if any.
	 * @return the reason or {@code null}
	 */
	public @Nullable String getReason() {
		return this.reason;
	}

	/**
	 * Return the details, if any.
	 * @return the details or {@code null}
	 */
	public @Nullable Object getDetails() {
		return this.details;
	}

	/**
	 * Whether the error code equals the given code; numbers compare by value, so
	 * {@code 404} matches an error received as {@code 404.0}.
	 * @param code the code to compare with
	 * @return whether the codes match
	 */
	public boolean hasError(Object code) {
		if (this.error instanceof Number mine && code instanceof Number other) {
			return mine.doubleValue() == other.doubleValue();
		}
		return this.error.equals(code);
	}

	// Meteor formats the message as "<reason> [<error>]", or "[<error>]" without a
	// reason.
	static String messageOf(Object error, @Nullable String reason) {
		String code = (error instanceof Number number) ? DdpFrames.numberText(number) : String.valueOf(error);
		return (reason != null) ? reason + " [" + code + "]" : "[" + code + "]";
	}

}
