package io.ddp.spring.security;

import java.util.List;

import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The default {@link DdpAuthenticationResolver}. For a connection logged in as a user
 * (its {@link ClientConnection#userId()} is set), in order:
 * <ol>
 * <li>the {@link Authentication} the DDP login produced
 * ({@link DdpConnectionAuthentication#rememberLogin}), for example through an
 * {@code AuthenticationManager};</li>
 * <li>the handshake's authentication, while the user id is still its name (the user id a
 * connection starts with);</li>
 * <li>an authentication named by the user id with the authorities {@code ROLE_<role>} of
 * the user's {@link DdpUser#roles() roles} in the {@link DdpUserStore}, none when there
 * is no store or no such user (a user id a method set).</li>
 * </ol>
 * A connection without a user id gets the handshake's authentication if it should serve
 * as a fallback (see the constructor), else none: it is anonymous.
 *
 * @since 0.1.0
 */
public class DefaultDdpAuthenticationResolver implements DdpAuthenticationResolver {

	private final @Nullable DdpUserStore users;

	private final boolean handshakeWhenLoggedOut;

	/**
	 * Create a resolver.
	 * @param users the user store whose roles become authorities, or {@code null}
	 * @param handshakeWhenLoggedOut whether a connection without a user id still gets the
	 * handshake's authentication: {@code true} when the handshake does not set the user
	 * id (then the HTTP identity serves method security until a DDP login), {@code false}
	 * when it does (then no user id means a DDP {@code logout})
	 */
	public DefaultDdpAuthenticationResolver(@Nullable DdpUserStore users, boolean handshakeWhenLoggedOut) {
		this.users = users;
		this.handshakeWhenLoggedOut = handshakeWhenLoggedOut;
	}

	@Override
	public @Nullable Authentication resolve(ClientConnection connection) {
		String userId = connection.userId();
		Authentication handshake = DdpConnectionAuthentication.handshake(connection);
		if (userId == null) {
			return this.handshakeWhenLoggedOut ? handshake : null;
		}
		Authentication login = DdpConnectionAuthentication.login(connection);
		if (login != null) {
			return login;
		}
		if (handshake != null && userId.equals(handshake.getName())) {
			return handshake;
		}
		return UsernamePasswordAuthenticationToken.authenticated(userId, null, authorities(userId));
	}

	private List<GrantedAuthority> authorities(String userId) {
		DdpUser user = (this.users != null) ? this.users.findById(userId) : null;
		if (user == null) {
			return List.of();
		}
		return user.roles()
			.stream()
			.sorted()
			.<GrantedAuthority>map((role) -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
	}

}
