package io.ddp.spring.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The {@link DdpConnection} implementation: Meteor's {@code DDP.connect} (section 6 of
 * the protocol notes) on a raw WebSocket (the JDK's {@link java.net.http.WebSocket}) or
 * SockJS. This class is the API; its collaborators do the work: the link's state machine
 * ({@code ConnectionLifecycle}), the reset after each reconnect
 * ({@code ConnectionReset}), the incoming frames ({@code IncomingFrames}), the calls and
 * subscriptions callers send ({@code OutgoingRequests}), method calls
 * ({@code MethodCalls}), the data side ({@code DataSync}, {@code LocalCollections}),
 * login ({@code ClientLogin}), listeners and transport selection. The state the link's
 * parts share is {@code LinkState}.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li><b>I/O thread</b> (the transport's): parses each frame once, outside any lock,
 * binding a method result straight into the caller's type; then updates the protocol
 * state under the connection's lock. It never runs user code. A blocking caller's result
 * is handed over from here directly (no thread hop), once the lock is released (woken
 * inside it, the caller's next call would find the lock still held).</li>
 * <li><b>Callback thread</b> (one per connection, {@code ddp-client-<name>-callbacks}):
 * runs every user callback in order: listener events, collection listeners,
 * {@code onResultReceived}, completions of the futures of
 * {@code callAsync}/{@code applyAsync} and subscriptions' {@code ready}/{@code onStop},
 * and the reconnect hooks. Blocking methods called on it throw
 * {@link IllegalStateException}: they would wait for this very thread.</li>
 * <li><b>Timer thread</b> ({@code ddp-client-<name>-timer}): retries, connect timeout,
 * heartbeats and call timeouts.</li>
 * <li><b>Caller threads</b>: any number may call at once; frames are written on the
 * caller's thread (no tree) and queued in order under the lock; the transport drains its
 * queue on whichever thread finds it idle.</li>
 * </ul>
 * All protocol state (method blocks, subscriptions, quiescence, status) is guarded by one
 * lock, held only for bookkeeping, never while waiting. Local collections have their own
 * read/write lock so readers on any thread see whole batches.
 *
 * <h2>Deviations from Meteor</h2> Data messages are applied as they arrive (Meteor
 * batches them for 5 ms for its UI), and a sent {@code noRetry} call fails with
 * {@code invocation-failed} as soon as the link drops rather than when the next one
 * opens. Reconnect hooks run, like Meteor's, on every transport open, the first included.
 *
 * @since 0.1.0
 */
public class DefaultDdpConnection implements DdpConnection, DdpConnectionStatistics {

	private final String name;

	private final Ejson ejson;

	private final ClientFrames frames;

	private final JavaType objectType;

	private final CallbackRunner callbacks;

	private final LocalCollections store;

	private final FrameLog frameLog;

	private final ClientListeners listeners;

	private final MethodCalls calls;

	private final ClientLogin login;

	private final ConnectionLifecycle lifecycle;

	private final OutgoingRequests requests;

	/**
	 * Create a connection; it starts with {@link #connect()}.
	 * @param name the connection name
	 * @param options the options
	 * @param ejson the EJSON codec for arguments, results and documents
	 * @throws IllegalArgumentException if the URL cannot be used with the transport
	 * @throws IllegalStateException if the SockJS transport is asked for without
	 * spring-websocket on the class path
	 */
	public DefaultDdpConnection(String name, DdpClientOptions options, Ejson ejson) {
		this(name, options, ejson,
				ClientTransports.select(Objects.requireNonNull(options, "'options' must not be null")));
	}

	DefaultDdpConnection(String name, DdpClientOptions options, Ejson ejson, ClientTransports transports) {
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(options, "'options' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		this.frames = new ClientFrames(ejson);
		this.objectType = ejson.mapper().getTypeFactory().constructType(Object.class);
		this.store = new LocalCollections(ejson);
		this.callbacks = new CallbackRunner(name);
		this.frameLog = new FrameLog(name, this.callbacks);
		this.listeners = new ClientListeners(name, this.callbacks);
		Quiescence quiescence = new Quiescence();
		this.calls = new MethodCalls(name, this.frames, this.callbacks, quiescence, options.callTimeout());
		DataSync data = new DataSync(this.store, quiescence, this.calls, this.listeners, this.callbacks);
		this.login = new ClientLogin(name, options,
				(userId) -> this.listeners.emit((listener) -> listener.userIdChanged(userId)));
		this.lifecycle = new ConnectionLifecycle(this, name, options, this.frames, transports, this.callbacks,
				this.frameLog, this.listeners, this.calls, data, this.login, this.objectType);
		this.requests = this.lifecycle.requests();
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void connect() {
		this.lifecycle.connect();
	}

	@Override
	public void reconnect() {
		this.lifecycle.reconnect();
	}

	@Override
	public void reconnect(URI url) {
		this.lifecycle.reconnect(url);
	}

	@Override
	public void disconnect() {
		this.lifecycle.disconnect();
	}

	@Override
	public void close() {
		this.lifecycle.close();
	}

	// ---- methods

	/**
	 * Set who is told about every call this connection makes (the auto-configuration sets
	 * the {@code ddp.client.calls} observations when Micrometer is present).
	 * @param observer the observer, {@code null} for none
	 */
	public void setCallObserver(@Nullable DdpCallObserver observer) {
		this.calls.setObserver(observer);
	}

	@Override
	public int activeCallCount() {
		return this.calls.activeCount();
	}

	@Override
	public int subscriptionCount() {
		return this.requests.subscriptionCount();
	}

	@Override
	public @Nullable Object call(String method, @Nullable Object... args) {
		return invokeBlocking(method, arguments(args), CallOptions.defaults(), this.objectType);
	}

	@Override
	public <T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args) {
		return invokeBlocking(method, arguments(args), CallOptions.defaults(), javaType(resultType));
	}

	@Override
	public <T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args) {
		return invokeBlocking(method, arguments(args), CallOptions.defaults(), javaType(resultType.getType()));
	}

	@Override
	public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
		return invokeAsync(method, arguments(args), CallOptions.defaults(), this.objectType, null);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invokeAsync(method, arguments(args),
				CallOptions.defaults(), javaType(resultType), null);
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType) {
		return invokeBlocking(method, args, options, javaType(resultType));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invokeAsync(method, args, options,
				javaType(resultType.getType()), null);
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return invokeBlocking(method, args, options, javaType(resultType.getType()));
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			Class<T> resultType) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invokeAsync(method, args, options,
				javaType(resultType), null);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<@Nullable T> callAsync(String method, ParameterizedTypeReference<T> resultType,
			@Nullable Object... args) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invokeAsync(method, arguments(args),
				CallOptions.defaults(), javaType(resultType.getType()), null);
	}

	@SuppressWarnings("unchecked")
	<T> CompletableFuture<@Nullable T> invokeAsync(String method, List<?> args, CallOptions options,
			Class<T> resultType, @Nullable String randomSeed) {
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invokeAsync(method, args, options,
				javaType(resultType), randomSeed);
	}

	// the future's value has the caller's type: the invoker binds the result to it
	private CompletableFuture<@Nullable Object> invokeAsync(String method, List<? extends @Nullable Object> args,
			CallOptions options, JavaType resultType, @Nullable String randomSeed) {
		MethodInvoker invoker;
		try {
			invoker = this.calls.create(method, args, options, resultType, randomSeed, false);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.<@Nullable Object>failedFuture(ex);
		}
		this.requests.submit(invoker);
		return invoker.future;
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T invokeBlocking(String method, List<? extends @Nullable Object> args, CallOptions options,
			JavaType resultType) {
		if (this.callbacks.isCallbackThread()) {
			throw new IllegalStateException("Blocking call of '" + method + "' on a callback of DDP connection '"
					+ this.name + "' would deadlock: callbacks run on the connection's only callback thread, which "
					+ "delivers the result. Use callAsync/applyAsync in callbacks and reconnect hooks");
		}
		MethodInvoker invoker = this.calls.create(method, args, options, resultType, null, true);
		this.requests.submit(invoker);
		return (T) MethodCalls.await(invoker);
	}

	// ---- subscriptions and collections

	@Override
	public DdpSubscription subscribe(String name, @Nullable Object... args) {
		Objects.requireNonNull(name, "'name' must not be null");
		List<@Nullable Object> params = Collections
			.<@Nullable Object>unmodifiableList(new ArrayList<@Nullable Object>(asList(args)));
		String id = MeteorRandom.secure().id();
		String frame;
		try {
			frame = this.frames.sub(id, name, params);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Cannot write the parameters of '" + name + "' as EJSON: " + ex.getMessage(), ex);
		}
		ClientSubscription subscription = new ClientSubscription(this, id, name, params, frame);
		this.requests.addSubscription(subscription);
		return subscription;
	}

	void unsubscribe(ClientSubscription subscription) {
		this.requests.removeSubscription(subscription);
		this.callbacks.execute(() -> subscription.end(null));
	}

	@Override
	public <T> RemoteCollection<T> collection(String name, Class<T> documentType) {
		Objects.requireNonNull(name, "'name' must not be null");
		Objects.requireNonNull(documentType, "'documentType' must not be null");
		return new TypedRemoteCollection<>(this, name, documentType, this.store, this.ejson);
	}

	AutoCloseable addCollectionListener(String collection, Consumer<DocumentChange> listener) {
		return this.listeners.addCollectionListener(collection, listener);
	}

	AutoCloseable addQueryListener(String collection, Runnable refresh) {
		return this.listeners.addBatchListener(collection, refresh);
	}

	@Override
	public DdpConnectionStatus status() {
		return this.lifecycle.status();
	}

	@Override
	public @Nullable String version() {
		return this.lifecycle.version();
	}

	@Override
	public @Nullable String sessionId() {
		return this.lifecycle.sessionId();
	}

	@Override
	public AutoCloseable addListener(DdpClientListener listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		return this.listeners.add(listener);
	}

	@Override
	public AutoCloseable addFrameListener(DdpFrameListener listener) {
		Objects.requireNonNull(listener, "'listener' must not be null");
		return this.frameLog.addListener(listener);
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		Objects.requireNonNull(hook, "'hook' must not be null");
		return this.listeners.addReconnectHook(hook);
	}

	// ---- login

	@Override
	public @Nullable String userId() {
		return this.login.userId();
	}

	@Override
	public void setUserId(@Nullable String userId) {
		this.login.setUserId(userId);
	}

	@Override
	public DdpLogin loginWithToken(String token) {
		Objects.requireNonNull(token, "'token' must not be null");
		return this.login.loggedIn(invokeLogin(Map.of("resume", token)));
	}

	@Override
	public DdpLogin loginWithPassword(String user, String password) {
		Objects.requireNonNull(user, "'user' must not be null");
		Objects.requireNonNull(password, "'password' must not be null");
		return this.login.loggedIn(invokeLogin(ClientLogin.passwordRequest(user, password)));
	}

	@Override
	public void logout() {
		invokeBlocking("logout", List.of(), CallOptions.defaults().withWait(true), this.objectType);
		this.login.loggedOut();
	}

	@Override
	public DdpLogin logoutOtherClients() {
		CallOptions wait = CallOptions.defaults().withWait(true);
		// the new token is this connection's before the old ones go, so a reconnect
		// in between resumes with a token that survives
		DdpLogin login = this.login.loggedIn(invokeBlocking("getNewToken", List.of(), wait, this.objectType));
		invokeBlocking("removeOtherTokens", List.of(), wait, this.objectType);
		return login;
	}

	private @Nullable Object invokeLogin(Map<String, Object> request) {
		return invokeBlocking("login", List.of(request), CallOptions.defaults().withWait(true), this.objectType);
	}

	// ---- helpers

	private JavaType javaType(java.lang.reflect.Type type) {
		return this.ejson.mapper().getTypeFactory().constructType(type);
	}

	private static List<@Nullable Object> asList(@Nullable Object @Nullable [] args) {
		return (args != null) ? Arrays.<@Nullable Object>asList(args) : List.<@Nullable Object>of();
	}

	// NullAway (JSpecify mode) does not model wildcards yet: it rejects passing a
	// List<@Nullable Object> as a List<? extends @Nullable Object>, which is sound
	@SuppressWarnings("NullAway")
	private static List<? extends @Nullable Object> arguments(@Nullable Object @Nullable [] args) {
		return asList(args);
	}

	@Override
	public String toString() {
		return "DdpConnection '" + this.name + "' to " + this.lifecycle.options().url() + " (" + status().state() + ")";
	}

}
