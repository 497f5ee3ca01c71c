package io.ddp.spring.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where resume tokens live, hashed. The default keeps them in memory; declare a bean of
 * this type to share them between instances or keep them across restarts.
 *
 * <p>
 * Every removal, including those made by another instance sharing the store, must be
 * reported to the listeners registered with {@link #onRemoved(Consumer)}: the server
 * closes the connections logged in with a removed token, as Meteor does. Implementations
 * must be thread-safe.
 *
 * @since 0.1.0
 */
public interface DdpLoginTokenStore {

	/**
	 * Hash a token as Meteor does ({@code Accounts._hashLoginToken}): the base64 of its
	 * SHA-256.
	 * @param token the token a client holds
	 * @return the hash to store and look up
	 */
	static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Store a token.
	 * @param token the hashed token
	 */
	void add(DdpLoginToken token);

	/**
	 * Return the token with the given hash.
	 * @param hashedToken the hash
	 * @return the token, or {@code null} if there is none
	 */
	@Nullable DdpLoginToken findByHash(String hashedToken);

	/**
	 * Return the tokens of a user.
	 * @param userId the user id
	 * @return the tokens, possibly none
	 */
	List<DdpLoginToken> findByUser(String userId);

	/**
	 * Remove a token.
	 * @param hashedToken the hash
	 * @return whether there was such a token
	 */
	boolean remove(String hashedToken);

	/**
	 * Remove every token of a user except one (Meteor's {@code removeOtherTokens}).
	 * @param userId the user id
	 * @param keptHashedToken the hash of the token to keep, or {@code null} to remove all
	 * @return how many tokens were removed
	 */
	int removeOthers(String userId, @Nullable String keptHashedToken);

	/**
	 * Remove the tokens created before an instant (the expiry sweep).
	 * @param instant the oldest creation time still valid
	 * @return how many tokens were removed
	 */
	int removeCreatedBefore(Instant instant);

	/**
	 * Be told of every token removed from now on, whoever removed it.
	 * @param listener called with each removed token
	 * @return removes the listener
	 */
	Runnable onRemoved(Consumer<DdpLoginToken> listener);

}
