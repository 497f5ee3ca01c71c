package io.ddp.spring.security;

import java.util.Objects;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Where a connection keeps its Spring Security state: the {@link Authentication} a DDP
 * login produced, and the cached answer of the {@link DdpAuthenticationResolver}. Both
 * live in {@link ClientConnection#attributes()}.
 *
 * @since 0.1.0
 */
public final class DdpConnectionAuthentication {

	private static final String LOGIN_ATTRIBUTE = DdpConnectionAuthentication.class.getName() + ".login";

	private static final String CACHE_ATTRIBUTE = DdpConnectionAuthentication.class.getName() + ".cache";

	private DdpConnectionAuthentication() {
	}

	/**
	 * Remember the authentication a DDP login produced for a user, so that it (with its
	 * authorities) is the connection's authentication while the connection is logged in
	 * as that user. Login handlers that authenticate through Spring Security call this.
	 * @param connection the connection logging in
	 * @param userId the user id the login sets
	 * @param authentication what the login authenticated
	 */
	public static void rememberLogin(ClientConnection connection, String userId, Authentication authentication) {
		connection.attributes().put(LOGIN_ATTRIBUTE, new Login(userId, authentication));
		// The user id may not change (a second login as the same user): drop the cache.
		connection.attributes().remove(CACHE_ATTRIBUTE);
	}

	/**
	 * Return the authentication remembered by {@link #rememberLogin} if the connection is
	 * still logged in as its user.
	 * @param connection the connection
	 * @return the login's authentication, or {@code null}
	 */
	public static @Nullable Authentication login(ClientConnection connection) {
		if (connection.attributes().get(LOGIN_ATTRIBUTE) instanceof Login login
				&& login.userId().equals(connection.userId())) {
			return login.authentication();
		}
		return null;
	}

	/**
	 * Return the handshake's principal if Spring Security authenticated it (not an
	 * anonymous authentication).
	 * @param connection the connection
	 * @return the handshake's authentication, or {@code null}
	 */
	public static @Nullable Authentication handshake(ClientConnection connection) {
		if (connection.principal() instanceof Authentication authentication && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken)) {
			return authentication;
		}
		return null;
	}

	/**
	 * Return the connection's authentication, asking the resolver only when the user id
	 * changed since it was last asked.
	 * @param connection the connection
	 * @param resolver decides the authentication
	 * @return the authentication, or {@code null} for an anonymous connection
	 */
	public static @Nullable Authentication current(ClientConnection connection, DdpAuthenticationResolver resolver) {
		String userId = connection.userId();
		if (connection.attributes().get(CACHE_ATTRIBUTE) instanceof Cached cached
				&& Objects.equals(cached.userId(), userId)) {
			return cached.authentication();
		}
		Authentication authentication = resolver.resolve(connection);
		// Concurrent calls of one connection may both compute it: same answer, no harm.
		connection.attributes().put(CACHE_ATTRIBUTE, new Cached(userId, authentication));
		return authentication;
	}

	private record Login(String userId, Authentication authentication) {

	}

	private record Cached(@Nullable String userId, @Nullable Authentication authentication) {

	}

}
