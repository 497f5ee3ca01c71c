package io.ddp.spring.client;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import io.ddp.spring.protocol.MeteorPasswords;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The login state of one connection (Meteor's accounts client): the user id and resume
 * token of the last login, which login request a reconnect sends (the token, or the
 * configured password once), and the wire shapes of Meteor's {@code login} method.
 *
 * <p>
 * Threads: {@link #requestOnReconnect()} runs on the callback thread during a reset; the
 * outcome methods on whichever thread completes the login call (a blocking caller's, or
 * the callback thread). State is guarded by this object's monitor; {@link #userId()} is
 * lock-free. A change of user id is reported under the monitor, so the reports keep the
 * order of the changes.
 *
 * @since 0.1.0
 */
final class ClientLogin {

	private static final Log logger = LogFactory.getLog(ClientLogin.class);

	private final String connectionName;

	private final @Nullable String username;

	private final @Nullable String password;

	private final Consumer<@Nullable String> userIdChanged;

	private volatile @Nullable String userId;

	private @Nullable String resumeToken;

	private boolean credentialsUsed;

	ClientLogin(String connectionName, DdpClientOptions options, Consumer<@Nullable String> userIdChanged) {
		this.connectionName = connectionName;
		this.userIdChanged = userIdChanged;
		this.username = options.username();
		this.password = options.password();
		this.resumeToken = options.resumeToken();
	}

	@Nullable String userId() {
		return this.userId;
	}

	/**
	 * The login a new link sends before anything else: the resume token when there is
	 * one, else the configured user and password, used once (Meteor logs in with a
	 * password only when asked to).
	 * @return the request, or {@code null} for none
	 */
	synchronized @Nullable Request requestOnReconnect() {
		if (this.resumeToken != null) {
			return new Request(Map.of("resume", this.resumeToken), true);
		}
		if (!this.credentialsUsed && this.username != null && this.password != null) {
			this.credentialsUsed = true;
			return new Request(passwordRequest(this.username, this.password), false);
		}
		return null;
	}

	/**
	 * A login call returned.
	 * @param result the method's result
	 * @return the login
	 * @throws IllegalStateException if the result is not a login result
	 */
	synchronized DdpLogin loggedIn(@Nullable Object result) {
		DdpLogin login = toLogin(result);
		setUserId(login.userId());
		this.resumeToken = login.token();
		return login;
	}

	/**
	 * A login sent on reconnect finished.
	 * @param request the request it was
	 * @param result the result, when it succeeded
	 * @param failure the failure, or {@code null}
	 */
	synchronized void reconnectLoginFinished(Request request, @Nullable Object result, @Nullable Throwable failure) {
		if (failure == null) {
			try {
				loggedIn(result);
				return;
			}
			catch (RuntimeException invalid) {
				failure = invalid;
			}
		}
		logger.warn("DDP connection '" + this.connectionName + "' could not log in"
				+ (request.resume() ? " with its resume token" : "") + ": " + failure.getMessage());
		if (request.resume()) {
			// Meteor logs the client out when its token is refused
			setUserId(null);
			this.resumeToken = null;
		}
	}

	synchronized void loggedOut() {
		setUserId(null);
		this.resumeToken = null;
	}

	/**
	 * Set the user id, as Meteor's {@code Connection.setUserId}: locally only, the resume
	 * token stays.
	 * @param userId the user id, {@code null} for none
	 */
	synchronized void setUserId(@Nullable String userId) {
		if (!Objects.equals(this.userId, userId)) {
			this.userId = userId;
			this.userIdChanged.accept(userId);
		}
	}

	static Map<String, Object> passwordRequest(String user, String password) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("user", Map.of(user.contains("@") ? "email" : "username", user));
		request.put("password",
				Map.of("digest", MeteorPasswords.digest(password), "algorithm", MeteorPasswords.ALGORITHM));
		return request;
	}

	private static DdpLogin toLogin(@Nullable Object result) {
		if (!(result instanceof Map<?, ?> map) || !(map.get("id") instanceof String id)
				|| !(map.get("token") instanceof String token)) {
			throw new IllegalStateException("Unexpected login result (expected {id, token, tokenExpires}): " + result);
		}
		Object expires = map.get("tokenExpires");
		Instant tokenExpires = (expires instanceof Instant instant) ? instant
				: (expires instanceof Date date) ? date.toInstant() : null;
		return new DdpLogin(id, token, tokenExpires);
	}

	/**
	 * A login request sent by the connection itself.
	 *
	 * @param params the {@code login} method's parameter
	 * @param resume whether it resumes with a token
	 */
	record Request(Map<String, Object> params, boolean resume) {
	}

}
