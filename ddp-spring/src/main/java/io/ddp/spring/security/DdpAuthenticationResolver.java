package io.ddp.spring.security;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;

/**
 * Decides the Spring Security {@link Authentication} of a DDP connection, which method
 * security sees while its methods and publications run. Asked again whenever the
 * connection's user id changes (a DDP {@code login} or {@code logout}); between changes
 * the answer is cached on the connection.
 *
 * <p>
 * Declare a bean of this type to replace {@link DefaultDdpAuthenticationResolver}.
 *
 * @since 0.1.0
 * @see DdpConnectionAuthentication
 */
@FunctionalInterface
public interface DdpAuthenticationResolver {

	/**
	 * Return the authentication of the given connection.
	 * @param connection the connection, whose {@link ClientConnection#userId()} is the
	 * user to authenticate
	 * @return the authentication, or {@code null} for an anonymous connection
	 */
	@Nullable Authentication resolve(ClientConnection connection);

}
