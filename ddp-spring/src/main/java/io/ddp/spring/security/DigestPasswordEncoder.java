package io.ddp.spring.security;

import java.util.Locale;

import io.ddp.spring.protocol.MeteorPasswords;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A {@link PasswordEncoder} that stores passwords the way Meteor does: the delegate's
 * hash (BCrypt, for example) of the password's SHA-256 hex digest. Meteor clients send
 * that digest instead of the password, so with this encoder one user store serves both an
 * HTML form login (plaintext, digested here) and a DDP login (the digest as is).
 *
 * <p>
 * {@link #matches} accepts the digest (64 hex characters) or the plaintext: a presented
 * password that looks like a digest is tried as one first, then as plaintext.
 *
 * @since 0.1.0
 */
public class DigestPasswordEncoder implements PasswordEncoder {

	private final PasswordEncoder delegate;

	/**
	 * Create an encoder.
	 * @param delegate hashes the digest, for example a {@code BCryptPasswordEncoder}
	 */
	public DigestPasswordEncoder(PasswordEncoder delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable String encode(@Nullable CharSequence rawPassword) {
		return (rawPassword != null) ? this.delegate.encode(MeteorPasswords.digest(rawPassword)) : null;
	}

	@Override
	public boolean matches(@Nullable CharSequence rawPassword, @Nullable String encodedPassword) {
		if (rawPassword == null || encodedPassword == null) {
			return false;
		}
		if (isDigest(rawPassword)
				&& this.delegate.matches(rawPassword.toString().toLowerCase(Locale.ROOT), encodedPassword)) {
			return true;
		}
		return this.delegate.matches(MeteorPasswords.digest(rawPassword), encodedPassword);
	}

	@Override
	public boolean upgradeEncoding(@Nullable String encodedPassword) {
		return this.delegate.upgradeEncoding(encodedPassword);
	}

	static boolean isDigest(CharSequence password) {
		if (password.length() != 64) {
			return false;
		}
		for (int i = 0; i < password.length(); i++) {
			if (Character.digit(password.charAt(i), 16) < 0) {
				return false;
			}
		}
		return true;
	}

}
