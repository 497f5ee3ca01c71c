package io.ddp.spring.accounts;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.ddp.spring.server.ClientConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Which connections are logged in with which token (Meteor's per-connection observe of
 * its hashed token), so that removing a token closes them.
 */
final class LoginConnections {

	private static final Log logger = LogFactory.getLog(LoginConnections.class);

	private static final String CLOSE_HOOK_ATTRIBUTE = LoginConnections.class.getName() + ".closeHook";

	private final Map<String, Set<ClientConnection>> byToken = new ConcurrentHashMap<>();

	/**
	 * Remember that a connection is logged in with a token, instead of any earlier one.
	 */
	void loggedIn(ClientConnection connection, String hashedToken) {
		Object previous = connection.attributes().put(DdpAccounts.LOGIN_TOKEN_ATTRIBUTE, hashedToken);
		if (previous instanceof String previousToken && !previousToken.equals(hashedToken)) {
			forget(previousToken, connection);
		}
		this.byToken.compute(hashedToken, (key, connections) -> {
			Set<ClientConnection> set = (connections != null) ? connections : ConcurrentHashMap.newKeySet();
			set.add(connection);
			return set;
		});
		if (connection.attributes().putIfAbsent(CLOSE_HOOK_ATTRIBUTE, Boolean.TRUE) == null) {
			connection.onClose(() -> loggedOut(connection));
		}
	}

	/**
	 * Forget a connection's token.
	 * @return the hashed token it was logged in with, or {@code null}
	 */
	@Nullable String loggedOut(ClientConnection connection) {
		Object hashedToken = connection.attributes().remove(DdpAccounts.LOGIN_TOKEN_ATTRIBUTE);
		if (hashedToken instanceof String token) {
			forget(token, connection);
			return token;
		}
		return null;
	}

	/**
	 * Close the connections logged in with a token that no longer exists.
	 */
	void tokenRemoved(DdpLoginToken token) {
		Set<ClientConnection> connections = this.byToken.remove(token.hashedToken());
		if (connections == null) {
			return;
		}
		for (ClientConnection connection : connections) {
			if (connection.attributes().remove(DdpAccounts.LOGIN_TOKEN_ATTRIBUTE, token.hashedToken())) {
				if (logger.isDebugEnabled()) {
					logger.debug("Closing DDP connection " + connection.id() + ": its login token of user '"
							+ token.userId() + "' was removed");
				}
				connection.close();
			}
		}
	}

	int size() {
		return this.byToken.values().stream().mapToInt(Set::size).sum();
	}

	private void forget(String hashedToken, ClientConnection connection) {
		this.byToken.computeIfPresent(hashedToken, (key, connections) -> {
			connections.remove(connection);
			return connections.isEmpty() ? null : connections;
		});
	}

}
