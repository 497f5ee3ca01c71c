package io.ddp.spring.test.client;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatistics;
import io.ddp.spring.client.DdpConnectionStatus;
import io.ddp.spring.client.DdpLogin;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.RemoteCollection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A {@link DdpConnection} whose status a test drives: {@link #connected(String)},
 * {@link #lost(int, String)}, {@link #waiting(int, Instant)}, {@link #failed(String)}
 * fire the listener callbacks a real connection fires. Everything else is unsupported.
 */
public class ScriptedDdpConnection implements DdpConnection, DdpConnectionStatistics {

	private final String name;

	private final List<DdpClientListener> listeners = new CopyOnWriteArrayList<>();

	private volatile DdpConnectionStatus status = new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0, null,
			null);

	private volatile @Nullable String version;

	private volatile @Nullable String sessionId;

	private volatile boolean everConnected;

	private volatile int activeCalls;

	private volatile int subscriptions;

	public ScriptedDdpConnection(String name) {
		this.name = name;
	}

	public void connected(String sessionId) {
		boolean reconnect = this.everConnected;
		this.everConnected = true;
		this.version = "1";
		this.sessionId = sessionId;
		setStatus(new DdpConnectionStatus(ConnectionState.CONNECTED, true, 0, null, null));
		this.listeners.forEach((listener) -> listener.connected(sessionId, "1", reconnect));
	}

	public void lost(int code, String reason) {
		this.sessionId = null;
		this.listeners.forEach((listener) -> listener.socketClosed(code, reason));
		setStatus(new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0, null, reason));
	}

	public void waiting(int retryCount, Instant retryTime) {
		setStatus(new DdpConnectionStatus(ConnectionState.WAITING, false, retryCount, retryTime, this.status.reason()));
	}

	public void failed(String reason) {
		this.sessionId = null;
		setStatus(new DdpConnectionStatus(ConnectionState.FAILED, false, this.status.retryCount(), null, reason));
		this.listeners.forEach((listener) -> listener.failed(reason));
	}

	public void offline() {
		this.sessionId = null;
		setStatus(new DdpConnectionStatus(ConnectionState.OFFLINE, false, 0, null, null));
	}

	public void counts(int activeCalls, int subscriptions) {
		this.activeCalls = activeCalls;
		this.subscriptions = subscriptions;
	}

	private void setStatus(DdpConnectionStatus status) {
		this.status = status;
		this.listeners.forEach((listener) -> listener.statusChanged(status));
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public DdpConnectionStatus status() {
		return this.status;
	}

	@Override
	public @Nullable String version() {
		return this.version;
	}

	@Override
	public @Nullable String sessionId() {
		return this.sessionId;
	}

	@Override
	public AutoCloseable addListener(DdpClientListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	public int listenerCount() {
		return this.listeners.size();
	}

	@Override
	public int activeCallCount() {
		return this.activeCalls;
	}

	@Override
	public int subscriptionCount() {
		return this.subscriptions;
	}

	@Override
	public @Nullable String userId() {
		return null;
	}

	@Override
	public void connect() {
	}

	@Override
	public void close() {
		failed("closed");
	}

	@Override
	public @Nullable Object call(String method, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		throw new UnsupportedOperationException();
	}

	@Override
	public DdpSubscription subscribe(String name, @Nullable Object... args) {
		throw new UnsupportedOperationException();
	}

	@Override
	public <T> RemoteCollection<T> collection(String name, Class<T> documentType) {
		throw new UnsupportedOperationException();
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void reconnect() {
	}

	@Override
	public void disconnect() {
		offline();
	}

	@Override
	public DdpLogin loginWithToken(String token) {
		throw new UnsupportedOperationException();
	}

	@Override
	public DdpLogin loginWithPassword(String user, String password) {
		throw new UnsupportedOperationException();
	}

	@Override
	public void logout() {
		throw new UnsupportedOperationException();
	}

}
