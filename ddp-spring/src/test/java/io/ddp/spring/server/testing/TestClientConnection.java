package io.ddp.spring.server.testing;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * A connection for tests of code that only reads a connection's state (login handlers,
 * resolvers, method interceptors): no socket is involved. Shared through ddp-spring's
 * test-jar.
 */
public class TestClientConnection implements ClientConnection {

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final @Nullable Principal principal;

	private volatile @Nullable String userId;

	/**
	 * Create a connection with no handshake principal.
	 */
	public TestClientConnection() {
		this(null);
	}

	/**
	 * Create a connection.
	 * @param principal the handshake's principal, or {@code null}
	 */
	public TestClientConnection(@Nullable Principal principal) {
		this.principal = principal;
	}

	/**
	 * Set the user id the connection reports.
	 * @param userId the user id, or {@code null} when logged out
	 */
	public void setUserId(@Nullable String userId) {
		this.userId = userId;
	}

	@Override
	public String id() {
		return "test-session";
	}

	@Override
	public @Nullable String clientAddress() {
		return "127.0.0.1";
	}

	@Override
	public Map<String, String> httpHeaders() {
		return Map.of();
	}

	@Override
	public @Nullable Principal principal() {
		return this.principal;
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public String transport() {
		return "websocket";
	}

	@Override
	public Instant connectedAt() {
		return Instant.EPOCH;
	}

	@Override
	public @Nullable String userId() {
		return this.userId;
	}

	@Override
	public boolean isOpen() {
		return true;
	}

	@Override
	public void onClose(Runnable callback) {
	}

	@Override
	public void close() {
	}

}
