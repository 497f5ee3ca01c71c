package io.ddp.spring.security;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * A connection for tests of code that only reads a connection's state: no socket is
 * involved.
 */
class TestConnection implements ClientConnection {

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final @Nullable Principal principal;

	volatile @Nullable String userId;

	TestConnection(@Nullable Principal principal) {
		this.principal = principal;
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
