package io.ddp.spring.accounts;

import java.security.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.JsTruthiness;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.MethodArguments;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The DDP methods of Meteor's accounts: {@code login}, {@code logout},
 * {@code getNewToken}, {@code removeOtherTokens} and {@code createUser} (ddp-protocol.md
 * section 8).
 */
final class AccountMethods {

	private static final Log logger = LogFactory.getLog(DdpAccounts.class);

	private static final String RESUME = "resume";

	private final DdpAccounts accounts;

	AccountMethods(DdpAccounts accounts) {
		this.accounts = accounts;
	}

	Object login(DdpMethodInvocation invocation, MethodArguments arguments) {
		ClientConnection connection = connection(invocation, "login");
		ObjectNode options = options(arguments, null, connection);
		JsonNode resume = options.get(RESUME);
		if (JsTruthiness.isTruthy(resume)) {
			return resume(invocation, connection, resume);
		}
		DdpLoginRequest request = new DdpLoginRequest(options, connection);
		DdpLoginResult result = null;
		for (DdpLoginHandler handler : this.accounts.loginHandlers()) {
			try {
				result = handler.login(request);
			}
			catch (DdpException ex) {
				throw failed(null, null, connection, ex);
			}
			if (result != null) {
				break;
			}
		}
		if (result == null) {
			throw failed(null, null, connection, AccountErrors.unrecognizedOptions());
		}
		String userId = result.userId();
		if (result.error() != null || userId == null) {
			throw failed(result.type(), userId, connection, (result.error() != null) ? result.error()
					: new DdpException(400, "A login handler should return a user id or an error"));
		}
		validate(result.type(), userId, connection, "login");
		// one instant for the stored token and the result, so a resume reports the same
		// expiry
		Instant createdAt = this.accounts.now();
		String token = this.accounts.storeNewToken(userId, createdAt);
		return loggedIn(invocation, connection, userId, result.type(), token, createdAt, result.principal());
	}

	private Object resume(DdpMethodInvocation invocation, ClientConnection connection, JsonNode resume) {
		if (!resume.isString()) {
			throw failed(RESUME, null, connection, AccountErrors.matchFailed());
		}
		String token = resume.asString();
		DdpLoginToken stored = this.accounts.tokens().findByHash(DdpLoginTokenStore.hash(token));
		if (stored == null || this.accounts.users().findById(stored.userId()) == null) {
			throw failed(RESUME, null, connection, AccountErrors.loggedOutByServer());
		}
		if (!this.accounts.now().isBefore(this.accounts.expiration(stored))) {
			throw failed(RESUME, stored.userId(), connection, AccountErrors.sessionExpired());
		}
		validate(RESUME, stored.userId(), connection, "login");
		return loggedIn(invocation, connection, stored.userId(), RESUME, token, stored.createdAt(), null);
	}

	Object logout(DdpMethodInvocation invocation, MethodArguments arguments) {
		ClientConnection connection = connection(invocation, "logout");
		String userId = invocation.userId();
		// Forget the connection's token first, so that removing it closes only others.
		String hashedToken = this.accounts.connections().loggedOut(connection);
		connection.attributes().remove(DdpAccounts.PRINCIPAL_ATTRIBUTE);
		if (hashedToken != null && userId != null) {
			this.accounts.tokens().remove(hashedToken);
		}
		if (logger.isDebugEnabled()) {
			logger.debug("DDP connection " + connection.id() + " logged out user '" + userId + "'");
		}
		this.accounts.publish(new DdpLogoutEvent(this.accounts, userId, connection));
		invocation.setUserId(null);
		return DdpMethodHandler.NO_RESULT;
	}

	Object getNewToken(DdpMethodInvocation invocation, MethodArguments arguments) {
		ClientConnection connection = connection(invocation, "getNewToken");
		String userId = invocation.userId();
		if (userId == null || this.accounts.users().findById(userId) == null) {
			throw AccountErrors.notLoggedIn();
		}
		Object hashedToken = connection.attributes().get(DdpAccounts.LOGIN_TOKEN_ATTRIBUTE);
		DdpLoginToken current = (hashedToken instanceof String hash) ? this.accounts.tokens().findByHash(hash) : null;
		if (current == null || !current.userId().equals(userId)) {
			throw new DdpException("Invalid login token");
		}
		// The new token keeps the current one's creation time, so it expires as well.
		String token = this.accounts.storeNewToken(userId, current.createdAt());
		this.accounts.connections().loggedIn(connection, DdpLoginTokenStore.hash(token));
		invocation.setUserId(userId);
		return result(userId, token, current.createdAt(), null);
	}

	Object removeOtherTokens(DdpMethodInvocation invocation, MethodArguments arguments) {
		ClientConnection connection = connection(invocation, "removeOtherTokens");
		String userId = invocation.userId();
		if (userId == null) {
			throw AccountErrors.notLoggedIn();
		}
		Object current = connection.attributes().get(DdpAccounts.LOGIN_TOKEN_ATTRIBUTE);
		int removed = this.accounts.tokens().removeOthers(userId, (current instanceof String hash) ? hash : null);
		if (logger.isDebugEnabled()) {
			logger.debug("DDP connection " + connection.id() + " removed " + removed + " other login tokens of user '"
					+ userId + "'");
		}
		return DdpMethodHandler.NO_RESULT;
	}

	Object createUser(DdpMethodInvocation invocation, MethodArguments arguments) {
		ClientConnection connection = connection(invocation, "createUser");
		String type = PasswordLoginHandler.TYPE;
		ObjectNode options = options(arguments, type, connection);
		if (!this.accounts.isClientAccountCreation()) {
			throw failed(type, null, connection, AccountErrors.signupsForbidden());
		}
		DdpUser user;
		try {
			DdpAccounts.NewUser newUser = this.accounts.newUser();
			String username = optionalString(options, "username");
			String email = optionalString(options, "email");
			if (username == null && email == null) {
				throw new DdpException(400, "Need to set a username or email");
			}
			JsonNode password = options.get("password");
			if (password != null && !password.isNull()) {
				newUser.passwordDigest(Passwords.digest(password));
			}
			JsonNode profile = options.get("profile");
			if (profile != null && !profile.isNull()) {
				if (!profile.isObject() || !(arguments.get(0, Map.class) instanceof Map<?, ?> decoded)
						|| !(decoded.get("profile") instanceof Map<?, ?> profileMap)) {
					throw AccountErrors.matchFailed();
				}
				Map<String, Object> copy = new LinkedHashMap<>();
				profileMap.forEach((key, value) -> copy.put(String.valueOf(key), value));
				newUser.profile(copy);
			}
			if (username != null) {
				newUser.username(username);
			}
			if (email != null) {
				newUser.email(email);
			}
			user = newUser.create();
		}
		catch (DuplicateUserException ex) {
			throw failed(type, null, connection, new DdpException(403, ex.getMessage()));
		}
		catch (DdpException ex) {
			throw failed(type, null, connection, ex);
		}
		validate(type, user.id(), connection, "createUser");
		Instant createdAt = this.accounts.now();
		String token = this.accounts.storeNewToken(user.id(), createdAt);
		return loggedIn(invocation, connection, user.id(), type, token, createdAt, null);
	}

	private ObjectNode options(MethodArguments arguments, @Nullable String type, ClientConnection connection) {
		JsonNode options = arguments.json(0);
		if (options instanceof ObjectNode object) {
			return object;
		}
		throw failed(type, null, connection, AccountErrors.matchFailed());
	}

	private static @Nullable String optionalString(ObjectNode options, String name) {
		JsonNode value = options.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw AccountErrors.matchFailed();
		}
		return value.asString().isEmpty() ? null : value.asString();
	}

	private void validate(String type, String userId, ClientConnection connection, String methodName) {
		DdpLoginAttempt attempt = new DdpLoginAttempt(type, userId, this.accounts.users().findById(userId), connection,
				methodName);
		for (DdpLoginValidator validator : this.accounts.loginValidators()) {
			boolean allowed;
			try {
				allowed = validator.validate(attempt);
			}
			catch (DdpException ex) {
				throw failed(type, userId, connection, ex);
			}
			if (!allowed) {
				throw failed(type, userId, connection, AccountErrors.loginForbidden());
			}
		}
	}

	// Meteor stores the token on the connection and changes the user before replying,
	// so the subscriptions' rerun reaches the client before the result.
	private Object loggedIn(DdpMethodInvocation invocation, ClientConnection connection, String userId, String type,
			String token, Instant createdAt, @Nullable Principal principal) {
		String hashedToken = DdpLoginTokenStore.hash(token);
		this.accounts.connections().loggedIn(connection, hashedToken);
		// A removal between storing the token and tracking it closed nothing: refuse.
		if (this.accounts.tokens().findByHash(hashedToken) == null) {
			this.accounts.connections().loggedOut(connection);
			throw failed(type, userId, connection, AccountErrors.loggedOutByServer());
		}
		if (principal != null) {
			connection.attributes().put(DdpAccounts.PRINCIPAL_ATTRIBUTE, principal);
		}
		else {
			connection.attributes().remove(DdpAccounts.PRINCIPAL_ATTRIBUTE);
		}
		invocation.setUserId(userId);
		if (logger.isDebugEnabled()) {
			logger.debug("DDP connection " + connection.id() + " logged in as user '" + userId + "' by " + type);
		}
		this.accounts.publish(new DdpLoginEvent(this.accounts, userId, type, connection));
		return result(userId, token, createdAt, type);
	}

	private Map<String, Object> result(String userId, String token, Instant createdAt, @Nullable String type) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("id", userId);
		result.put("token", token);
		result.put("tokenExpires", this.accounts.expiration(createdAt));
		if (type != null) {
			result.put("type", type);
		}
		return result;
	}

	private DdpException failed(@Nullable String type, @Nullable String userId, ClientConnection connection,
			DdpException error) {
		if (logger.isDebugEnabled()) {
			logger.debug("DDP connection " + connection.id() + " failed to log in"
					+ ((type != null) ? " by " + type : "") + ((userId != null) ? " as user '" + userId + "'" : "")
					+ ": " + error.getError() + " " + error.getReason());
		}
		this.accounts.publish(new DdpLoginFailureEvent(this.accounts, userId, type, connection, error));
		return error;
	}

	private static ClientConnection connection(DdpMethodInvocation invocation, String method) {
		ClientConnection connection = invocation.connection();
		if (connection == null) {
			throw new IllegalStateException("The accounts method '" + method + "' needs a client connection; "
					+ "call DdpAccounts directly from server code");
		}
		return connection;
	}

}
