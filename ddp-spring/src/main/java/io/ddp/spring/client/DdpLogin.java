package io.ddp.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The result of a successful login: Meteor's {@code {id, token, tokenExpires}}.
 *
 * @param userId the user id
 * @param token the resume token
 * @param tokenExpires when the token expires, if the server said
 * @since 0.1.0
 */
public record DdpLogin(String userId, String token, @Nullable Instant tokenExpires) {

}
