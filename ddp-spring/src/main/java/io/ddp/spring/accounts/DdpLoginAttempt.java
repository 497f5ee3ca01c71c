package io.ddp.spring.accounts;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * A login that a handler accepted, before the server logs the connection in: what a
 * {@link DdpLoginValidator} decides on (Meteor's {@code validateLoginAttempt} argument).
 *
 * @param type the login type, e.g. {@code password} or {@code resume}
 * @param userId the user logging in
 * @param user the user, or {@code null} if the user store does not know the id (a custom
 * handler's user)
 * @param connection the connection logging in
 * @param methodName the DDP method: {@code login} or {@code createUser}
 * @since 0.1.0
 */
public record DdpLoginAttempt(String type, String userId, @Nullable DdpUser user, ClientConnection connection,
		String methodName) {

}
