package io.ddp.spring.accounts;

import java.security.Principal;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a {@link DdpLoginHandler}: a user id, or the error to send.
 *
 * @param type the login type reported to the client and to hooks, e.g. {@code password}
 * @param userId the user logged in, or (on failure) the user the attempt was for when
 * known
 * @param error the error to send, or {@code null} on success
 * @param principal what the login authenticated as (for example a Spring Security
 * {@code Authentication} with authorities), or {@code null} to derive it from the user
 * @since 0.1.0
 */
public record DdpLoginResult(String type, @Nullable String userId, @Nullable DdpException error,
		@Nullable Principal principal) {

	/**
	 * A successful login.
	 * @param type the login type
	 * @param userId the user id
	 * @return the result
	 */
	public static DdpLoginResult success(String type, String userId) {
		return new DdpLoginResult(type, userId, null, null);
	}

	/**
	 * A failed login.
	 * @param type the login type
	 * @param userId the user the attempt was for, or {@code null}
	 * @param error the error to send
	 * @return the result
	 */
	public static DdpLoginResult failure(String type, @Nullable String userId, DdpException error) {
		return new DdpLoginResult(type, userId, error, null);
	}

	/**
	 * Whether the login succeeded.
	 * @return {@code true} if there is a user id and no error
	 */
	public boolean succeeded() {
		return this.error == null && this.userId != null;
	}

}
