package io.ddp.spring.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The password form of Meteor's accounts: a client never sends the password itself but
 * {@code {"digest": <hex SHA-256 of its UTF-8 bytes>, "algorithm": "sha-256"}}, and the
 * server hashes that digest. One rule for the client that sends it and the server that
 * checks it.
 *
 * @since 0.1.0
 */
public final class MeteorPasswords {

	/**
	 * The {@code algorithm} a Meteor client names beside the digest.
	 */
	public static final String ALGORITHM = "sha-256";

	private MeteorPasswords() {
	}

	/**
	 * Return the digest a Meteor client sends for a password.
	 * @param password the password
	 * @return the lowercase hex SHA-256 of the password's UTF-8 bytes (64 characters)
	 */
	public static String digest(CharSequence password) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(password.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
