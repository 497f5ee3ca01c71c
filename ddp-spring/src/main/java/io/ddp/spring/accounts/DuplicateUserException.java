package io.ddp.spring.accounts;

/**
 * Thrown when a new user's id, username or e-mail address is already taken.
 *
 * @since 0.1.0
 */
public class DuplicateUserException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what is taken, e.g. {@code Username already exists.}
	 */
	public DuplicateUserException(String message) {
		super(message);
	}

}
