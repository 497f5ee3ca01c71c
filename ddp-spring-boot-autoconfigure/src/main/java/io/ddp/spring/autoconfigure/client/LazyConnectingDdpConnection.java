package io.ddp.spring.autoconfigure.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatistics;
import io.ddp.spring.client.DdpConnectionStatus;
import io.ddp.spring.client.DdpFrameListener;
import io.ddp.spring.client.DdpLogin;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.RemoteCollection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;

/**
 * A {@link DdpConnection} of a {@code lazy} connection: the first call, subscription,
 * collection or login creates the real connection and starts connecting
 * ({@link DdpConnection#connect()}), and the delegate queues it until the handshake
 * completed. Creating the delegate that late lets its URL name a port known only once the
 * server started, e.g. {@code ws://localhost:${local.server.port}/websocket}. Reading the
 * status, adding listeners or hooks does not connect; listeners and hooks added before
 * are handed to the delegate when it is created.
 *
 * @since 0.1.0
 */
final class LazyConnectingDdpConnection implements DdpConnection, DdpConnectionStatistics {

	private static final DdpConnectionStatus NOT_STARTED = new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0,
			null, null);

	private final String name;

	private final Supplier<DdpConnection> factory;

	// Listeners and hooks added before the delegate exists, with their registration once
	// it does. Guarded by this.
	private final List<Pending> pending = new ArrayList<>();

	private @Nullable DdpConnection delegate;

	private boolean started;

	private boolean closed;

	/**
	 * Create a lazy connection.
	 * @param name the connection name
	 * @param factory creates the real connection, at first use
	 */
	LazyConnectingDdpConnection(String name, Supplier<DdpConnection> factory) {
		this.name = name;
		this.factory = factory;
	}

	/**
	 * Return whether this connection was used, so {@link DdpConnection#connect()} was
	 * called on the delegate.
	 * @return whether started
	 */
	synchronized boolean isStarted() {
		return this.started;
	}

	/**
	 * Return the real connection, creating it (without connecting) if it does not exist
	 * yet.
	 * @return the delegate
	 */
	synchronized DdpConnection getDelegate() {
		DdpConnection delegate = this.delegate;
		if (delegate == null) {
			if (this.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			delegate = this.factory.get();
			for (Pending registration : this.pending) {
				registration.attach(delegate);
			}
			this.pending.clear();
			this.delegate = delegate;
		}
		return delegate;
	}

	private synchronized @Nullable DdpConnection existing() {
		return this.delegate;
	}

	private DdpConnection connected() {
		DdpConnection delegate = getDelegate();
		if (startOnce()) {
			delegate.connect();
		}
		return delegate;
	}

	@Override
	public int activeCallCount() {
		return (existing() instanceof DdpConnectionStatistics statistics) ? statistics.activeCallCount() : 0;
	}

	@Override
	public int subscriptionCount() {
		return (existing() instanceof DdpConnectionStatistics statistics) ? statistics.subscriptionCount() : 0;
	}

	@Override
	public String name() {
		return this.name;
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
	public <T> CompletableFuture<@Nullable T> callAsync(String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... args) {
		return connected().callAsync(method, resultType, args);
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return connected().apply(method, args, options, resultType);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			Class<T> resultType) {
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
		DdpConnection delegate = existing();
		return (delegate != null) ? delegate.status() : NOT_STARTED;
	}

	@Override
	public @Nullable String version() {
		DdpConnection delegate = existing();
		return (delegate != null) ? delegate.version() : null;
	}

	@Override
	public @Nullable String sessionId() {
		DdpConnection delegate = existing();
		return (delegate != null) ? delegate.sessionId() : null;
	}

	@Override
	public AutoCloseable addListener(DdpClientListener listener) {
		return register((delegate) -> delegate.addListener(listener));
	}

	@Override
	public AutoCloseable addFrameListener(DdpFrameListener listener) {
		return register((delegate) -> delegate.addFrameListener(listener));
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		return register((delegate) -> delegate.onReconnect(hook));
	}

	@Override
	public void reconnect() {
		// Explicitly asked to connect: the first time that is connect(), after that a
		// retry.
		DdpConnection delegate = getDelegate();
		if (startOnce()) {
			delegate.connect();
		}
		else {
			delegate.reconnect();
		}
	}

	@Override
	public void reconnect(URI url) {
		DdpConnection delegate = getDelegate();
		startOnce();
		delegate.reconnect(url);
	}

	// True for the one caller that starts the delegate; the connect itself runs outside
	// the lock.
	private synchronized boolean startOnce() {
		boolean first = !this.started;
		this.started = true;
		return first;
	}

	@Override
	public void disconnect() {
		DdpConnection delegate = existing();
		if (delegate != null) {
			delegate.disconnect();
		}
	}

	@Override
	public void close() {
		DdpConnection delegate;
		synchronized (this) {
			this.closed = true;
			this.pending.clear();
			delegate = this.delegate;
		}
		if (delegate != null) {
			delegate.close();
		}
	}

	@Override
	public @Nullable String userId() {
		DdpConnection delegate = existing();
		return (delegate != null) ? delegate.userId() : null;
	}

	@Override
	public void setUserId(@Nullable String userId) {
		getDelegate().setUserId(userId);
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
	public DdpLogin logoutOtherClients() {
		return connected().logoutOtherClients();
	}

	@Override
	public String toString() {
		DdpConnection delegate = existing();
		return (delegate != null) ? "lazy " + delegate : "lazy DdpConnection '" + this.name + "' (not used yet)";
	}

	private AutoCloseable register(Function<DdpConnection, AutoCloseable> registration) {
		synchronized (this) {
			if (this.delegate == null) {
				Pending pending = new Pending(registration);
				this.pending.add(pending);
				return pending;
			}
		}
		return registration.apply(getDelegate());
	}

	/**
	 * A listener or hook added before the delegate existed.
	 */
	private final class Pending implements AutoCloseable {

		private final Function<DdpConnection, AutoCloseable> registration;

		// Guarded by the outer connection.
		private @Nullable AutoCloseable attached;

		Pending(Function<DdpConnection, AutoCloseable> registration) {
			this.registration = registration;
		}

		void attach(DdpConnection delegate) {
			this.attached = this.registration.apply(delegate);
		}

		@Override
		public void close() throws Exception {
			AutoCloseable attached;
			synchronized (LazyConnectingDdpConnection.this) {
				LazyConnectingDdpConnection.this.pending.remove(this);
				attached = this.attached;
			}
			if (attached != null) {
				attached.close();
			}
		}

	}

}
