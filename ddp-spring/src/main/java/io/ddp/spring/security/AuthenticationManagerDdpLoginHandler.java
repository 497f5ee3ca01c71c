package io.ddp.spring.security;

import java.util.Map;
import java.util.function.Function;

import io.ddp.spring.accounts.DdpLoginHandler;
import io.ddp.spring.accounts.DdpLoginRequest;
import io.ddp.spring.accounts.DdpLoginResult;
import io.ddp.spring.protocol.DdpException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

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
		DdpConnectionAuthentication.rememberLogin(request.connection(), userId, authentication);
		return new DdpLoginResult(TYPE, userId, null, authentication);
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
