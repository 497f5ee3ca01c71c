package io.ddp.spring.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.ddp.spring.accounts.DdpLoginHandler;
import io.ddp.spring.accounts.DdpLoginRequest;
import io.ddp.spring.accounts.DdpLoginResult;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.DuplicateUserException;
import io.ddp.spring.protocol.DdpException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;

/**
 * A DDP password login ({@code {"user": ..., "password": ...}}) checked by the
 * application's {@link AuthenticationManager} (and so its {@code UserDetailsService} and
 * {@code PasswordEncoder}) instead of the accounts' user store.
 *
 * <p>
 * The user selector's value ({@code username}, {@code email} or {@code id}, or a plain
 * string) becomes the username; the password is the plaintext, or the SHA-256 hex digest
 * a Meteor client sends (verify it with a {@link DigestPasswordEncoder}). On success the
 * connection's user id is the authentication's name (see
 * {@link #setUserIdMapper(Function)}) and the {@link Authentication}, with its
 * authorities, becomes the connection's (see {@link DdpConnectionAuthentication}). Every
 * failure is Meteor's ambiguous 403.
 *
 * @since 0.1.0
 */
public class AuthenticationManagerDdpLoginHandler implements DdpLoginHandler {

	private static final Log logger = LogFactory.getLog(AuthenticationManagerDdpLoginHandler.class);

	private static final String TYPE = "password";

	private static final String BAD_CREDENTIALS = "Something went wrong. Please check your credentials.";

	private final AuthenticationManager authenticationManager;

	private Function<Authentication, String> userIdMapper = Authentication::getName;

	private @Nullable DdpUserStore users;

	/**
	 * Create a handler.
	 * @param authenticationManager checks the credentials
	 */
	public AuthenticationManagerDdpLoginHandler(AuthenticationManager authenticationManager) {
		this.authenticationManager = authenticationManager;
	}

	/**
	 * Set how the user id is taken from a successful authentication (its name by
	 * default).
	 * @param userIdMapper returns the user id
	 */
	public void setUserIdMapper(Function<Authentication, String> userIdMapper) {
		this.userIdMapper = userIdMapper;
	}

	/**
	 * Set the accounts' user store, to which each user this handler logs in is added (no
	 * password; the roles of its {@code ROLE_} authorities, kept current on each login).
	 * The accounts then resume its tokens and publish its document.
	 * @param users the user store, or {@code null} to add no users
	 */
	public void setUserStore(@Nullable DdpUserStore users) {
		this.users = users;
	}

	@Override
	public @Nullable DdpLoginResult login(DdpLoginRequest request) {
		JsonNode user = request.options().get("user");
		JsonNode password = request.options().get("password");
		if (user == null || password == null) {
			return null;
		}
		String username = username(user);
		String credentials = credentials(password);
		if (username == null || credentials == null) {
			return DdpLoginResult.failure(TYPE, null, new DdpException(400, "Match failed"));
		}
		Authentication authentication;
		try {
			authentication = this.authenticationManager
				.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(username, credentials));
		}
		catch (AuthenticationException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("DDP password login of '" + username + "' on session " + request.connection().id()
						+ " refused: " + ex.getMessage());
			}
			return DdpLoginResult.failure(TYPE, null, new DdpException(403, BAD_CREDENTIALS));
		}
		String userId = this.userIdMapper.apply(authentication);
		if (this.users != null) {
			keep(this.users, userId, authentication);
		}
		DdpConnectionAuthentication.rememberLogin(request.connection(), userId, authentication);
		return new DdpLoginResult(TYPE, userId, null, authentication);
	}

	private static void keep(DdpUserStore users, String userId, Authentication authentication) {
		Set<String> roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.filter((authority) -> authority != null && authority.startsWith("ROLE_"))
			.map((authority) -> authority.substring("ROLE_".length()))
			.collect(Collectors.toSet());
		DdpUser existing = users.findById(userId);
		if (existing == null) {
			try {
				users.create(
						new DdpUser(userId, authentication.getName(), List.of(), Map.of(), roles, null, Instant.now()));
			}
			catch (DuplicateUserException ex) {
				// A concurrent login of the same user, or its name taken by another user.
				logger.debug("DDP user '" + userId + "' not added to the user store: " + ex.getMessage());
			}
		}
		else if (!existing.roles().equals(roles)) {
			users.update(new DdpUser(existing.id(), existing.username(), existing.emails(), existing.profile(), roles,
					existing.passwordHash(), existing.createdAt()));
		}
	}

	// Meteor's selector: exactly one of username, email, id, a non-empty string.
	private static @Nullable String username(JsonNode user) {
		if (user.isString()) {
			return nonEmpty(user.asString());
		}
		if (!user.isObject() || user.size() != 1) {
			return null;
		}
		Map.Entry<String, JsonNode> only = user.properties().iterator().next();
		if (!only.getKey().equals("username") && !only.getKey().equals("email") && !only.getKey().equals("id")) {
			return null;
		}
		return only.getValue().isString() ? nonEmpty(only.getValue().asString()) : null;
	}

	private static @Nullable String credentials(JsonNode password) {
		if (password.isString()) {
			return password.asString();
		}
		JsonNode digest = password.get("digest");
		JsonNode algorithm = password.get("algorithm");
		if (digest != null && digest.isString() && DigestPasswordEncoder.isDigest(digest.asString())
				&& algorithm != null && "sha-256".equals(algorithm.asString())) {
			return digest.asString();
		}
		return null;
	}

	private static @Nullable String nonEmpty(String value) {
		return value.isEmpty() ? null : value;
	}

}
