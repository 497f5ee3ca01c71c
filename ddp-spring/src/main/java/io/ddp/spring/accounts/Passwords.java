package io.ddp.spring.accounts;

import java.util.Set;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.MeteorPasswords;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Meteor's password forms: a plaintext string, or the SHA-256 digest a Meteor client
 * sends. Both become the lowercase hex digest the {@code PasswordEncoder} hashes.
 */
final class Passwords {

	// Meteor's default passwordMaxLength.
	private static final int MAX_LENGTH = 256;

	private static final Set<String> DIGEST_KEYS = Set.of("digest", "algorithm");

	private Passwords() {
	}

	/**
	 * Return the digest of a password as the client sent it.
	 * @throws DdpException 400 {@code Match failed} for any other form
	 */
	static String digest(@Nullable JsonNode password) {
		if (password != null && password.isString()) {
			String text = password.asString();
			if (text.length() > MAX_LENGTH) {
				throw AccountErrors.matchFailed();
			}
			return MeteorPasswords.digest(text);
		}
		if (password != null && password.isObject() && DIGEST_KEYS.containsAll(password.propertyNames())) {
			JsonNode digest = password.get("digest");
			JsonNode algorithm = password.get("algorithm");
			if (digest != null && digest.isString() && digest.asString().length() == 64 && algorithm != null
					&& algorithm.isString() && MeteorPasswords.ALGORITHM.equals(algorithm.asString())) {
				return digest.asString();
			}
		}
		throw AccountErrors.matchFailed();
	}

}
