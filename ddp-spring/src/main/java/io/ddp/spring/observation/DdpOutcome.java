package io.ddp.spring.observation;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * How a DDP operation ended: the {@code outcome} tag of every DDP observation.
 *
 * @since 0.1.0
 */
public enum DdpOutcome {

	/** The method returned a result, or the subscription became ready. */
	SUCCESS,

	/** A {@link DdpException}: an error meant for the client, such as {@code 404}. */
	ERROR,

	/** Any other exception; the client got {@code 500} or a sanitized error. */
	SERVER_ERROR,

	/** The subscription stopped, or its session closed, before it was ready. */
	STOPPED,

	/** Not ended yet. */
	UNKNOWN;

	/**
	 * Return the outcome of a failure.
	 * @param error the exception
	 * @return {@link #ERROR} for a {@link DdpException}, else {@link #SERVER_ERROR}
	 */
	public static DdpOutcome of(Throwable error) {
		return (error instanceof DdpException) ? ERROR : SERVER_ERROR;
	}

	/**
	 * Return the {@code error} tag value of a failure, as Micrometer's meter handler
	 * writes it: the exception's simple class name, {@code none} without failure.
	 * @param error the exception or {@code null}
	 * @return the tag value
	 */
	public static String errorValue(@Nullable Throwable error) {
		if (error == null) {
			return "none";
		}
		String name = error.getClass().getSimpleName();
		return name.isEmpty() ? error.getClass().getName() : name;
	}

	/**
	 * Return the {@code ddp.error.code} tag value of a failure: the DDP error code of a
	 * {@link DdpException} ({@code 404}, {@code not-authorized}, ...), {@code none}
	 * otherwise.
	 * @param error the exception or {@code null}
	 * @return the tag value
	 */
	public static String errorCodeValue(@Nullable Throwable error) {
		return (error instanceof DdpException ddp) ? String.valueOf(ddp.getError()) : "none";
	}

}
