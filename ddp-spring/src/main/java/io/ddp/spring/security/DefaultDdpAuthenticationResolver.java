package io.ddp.spring.security;

import java.util.List;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The default {@link DdpAuthenticationResolver}. For a connection logged in as a user
 * (its {@link ClientConnection#userId()} is set), in order:
 * <ol>
 * <li>the {@link Authentication} the DDP login produced
 * ({@link DdpConnectionAuthentication#rememberLogin}, or a login handler's
 * {@link io.ddp.spring.accounts.DdpLoginResult#principal() principal} that the accounts
 * keep in {@link DdpAccounts#PRINCIPAL_ATTRIBUTE}), for example through an
 * {@code AuthenticationManager};</li>
 * <li>the handshake's authentication, while the user id is still its name (the user id a
 * connection starts with);</li>
 * <li>an authentication named by the user id with the authorities {@code ROLE_<role>} of
 * the user's {@link DdpUser#roles() roles} in the {@link DdpUserStore}, else the
 * authorities of the {@link UserDetailsService}'s user of that name (a resumed login of a
 * user the {@code AuthenticationManager} knows), else none (a user id a method set).</li>
 * </ol>
 * A connection without a user id gets the handshake's authentication if it should serve
 * as a fallback (see the constructor), else none: it is anonymous.
 *
 * @since 0.1.0
 */
public class DefaultDdpAuthenticationResolver implements DdpAuthenticationResolver {

	private final @Nullable DdpUserStore users;

	private final boolean handshakeWhenLoggedOut;

	private final @Nullable UserDetailsService userDetailsService;

	/**
	 * Create a resolver.
	 * @param users the user store whose roles become authorities, or {@code null}
	 * @param handshakeWhenLoggedOut whether a connection without a user id still gets the
	 * handshake's authentication: {@code true} when the handshake does not set the user
	 * id (then the HTTP identity serves method security until a DDP login), {@code false}
	 * when it does (then no user id means a DDP {@code logout})
	 */
	public DefaultDdpAuthenticationResolver(@Nullable DdpUserStore users, boolean handshakeWhenLoggedOut) {
		this(users, handshakeWhenLoggedOut, null);
	}

	/**
	 * Create a resolver that also asks Spring Security's users for authorities.
	 * @param users the user store whose roles become authorities, or {@code null}
	 * @param handshakeWhenLoggedOut see
	 * {@link #DefaultDdpAuthenticationResolver(DdpUserStore, boolean)}
	 * @param userDetailsService gives the authorities of users the user store does not
	 * know, or {@code null}
	 */
	public DefaultDdpAuthenticationResolver(@Nullable DdpUserStore users, boolean handshakeWhenLoggedOut,
			@Nullable UserDetailsService userDetailsService) {
		this.users = users;
		this.handshakeWhenLoggedOut = handshakeWhenLoggedOut;
		this.userDetailsService = userDetailsService;
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
		if (connection.attributes().get(DdpAccounts.PRINCIPAL_ATTRIBUTE) instanceof Authentication accounts) {
			return accounts;
		}
		if (handshake != null && userId.equals(handshake.getName())) {
			return handshake;
		}
		return UsernamePasswordAuthenticationToken.authenticated(userId, null, authorities(userId));
	}

	private List<GrantedAuthority> authorities(String userId) {
		DdpUser user = (this.users != null) ? this.users.findById(userId) : null;
		if (user == null) {
			return userDetailsAuthorities(userId);
		}
		return user.roles()
			.stream()
			.sorted()
			.<GrantedAuthority>map((role) -> new SimpleGrantedAuthority("ROLE_" + role))
			.toList();
	}

	private List<GrantedAuthority> userDetailsAuthorities(String userId) {
		if (this.userDetailsService == null) {
			return List.of();
		}
		try {
			return List.copyOf(this.userDetailsService.loadUserByUsername(userId).getAuthorities());
		}
		catch (UsernameNotFoundException ex) {
			return List.of();
		}
	}

}
