package io.ddp.spring.accounts;

import java.time.Instant;

/**
 * A resume token of a user, as stored: never the token itself, only its hash (Meteor's
 * {@code services.resume.loginTokens} entry).
 *
 * @param hashedToken the base64 SHA-256 of the token, see
 * {@link DdpLoginTokenStore#hash(String)}
 * @param userId the user the token logs in
 * @param createdAt when the token was issued (Meteor's {@code when}); it expires a login
 * expiration later
 * @since 0.1.0
 */
public record DdpLoginToken(String hashedToken, String userId, Instant createdAt) {

}
