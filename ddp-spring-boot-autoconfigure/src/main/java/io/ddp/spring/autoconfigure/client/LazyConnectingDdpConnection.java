package io.ddp.spring.autoconfigure.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.ddp.spring.client.CallOptions;
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
 * A {@link DdpConnection} of a {@code lazy} connection: the first call, subscription,
 * collection or login starts connecting ({@link DdpConnection#connect()}), and the
 * delegate queues it until the handshake completed. Reading the status, adding listeners
 * or hooks does not connect.
 *
 * @since 0.1.0
 */
final class LazyConnectingDdpConnection implements DdpConnection, DdpConnectionStatistics {

	private final DdpConnection delegate;

	private final AtomicBoolean started = new AtomicBoolean();

	LazyConnectingDdpConnection(DdpConnection delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return whether this connection was used, so {@link DdpConnection#connect()} was
	 * called on the delegate.
	 * @return whether started
	 */
	boolean isStarted() {
		return this.started.get();
	}

	DdpConnection getDelegate() {
		return this.delegate;
	}

	private DdpConnection connected() {
		if (this.started.compareAndSet(false, true)) {
			this.delegate.connect();
		}
		return this.delegate;
	}

	@Override
	public int activeCallCount() {
		return (this.delegate instanceof DdpConnectionStatistics statistics) ? statistics.activeCallCount() : 0;
	}

	@Override
	public int subscriptionCount() {
		return (this.delegate instanceof DdpConnectionStatistics statistics) ? statistics.subscriptionCount() : 0;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public void connect() {
		connected();
	}

	@Override
	public @Nullable Object call(String method, @Nullable Object... args) {
		return connected().call(method, args);
	}

	@Override
	public <T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args) {
		return connected().call(method, resultType, args);
	}

	@Override
	public <T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args) {
		return connected().call(method, resultType, args);
	}

	@Override
	public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
		return connected().callAsync(method, args);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args) {
		return connected().callAsync(method, resultType, args);
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType) {
		return connected().apply(method, args, options, resultType);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return connected().applyAsync(method, args, options, resultType);
	}

	@Override
	public DdpSubscription subscribe(String name, @Nullable Object... args) {
		return connected().subscribe(name, args);
	}

	@Override
	public <T> RemoteCollection<T> collection(String name, Class<T> documentType) {
		return connected().collection(name, documentType);
	}

	@Override
	public DdpConnectionStatus status() {
		return this.delegate.status();
	}

	@Override
	public @Nullable String version() {
		return this.delegate.version();
	}

	@Override
	public @Nullable String sessionId() {
		return this.delegate.sessionId();
	}

	@Override
	public AutoCloseable addListener(DdpClientListener listener) {
		return this.delegate.addListener(listener);
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		return this.delegate.onReconnect(hook);
	}

	@Override
	public void reconnect() {
		// Explicitly asked to connect: the first time that is connect(), after that a
		// retry.
		if (this.started.compareAndSet(false, true)) {
			this.delegate.connect();
		}
		else {
			this.delegate.reconnect();
		}
	}

	@Override
	public void disconnect() {
		this.delegate.disconnect();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public @Nullable String userId() {
		return this.delegate.userId();
	}

	@Override
	public DdpLogin loginWithToken(String token) {
		return connected().loginWithToken(token);
	}

	@Override
	public DdpLogin loginWithPassword(String user, String password) {
		return connected().loginWithPassword(user, password);
	}

	@Override
	public void logout() {
		connected().logout();
	}

	@Override
	public String toString() {
		return "lazy " + this.delegate;
	}

}
