package io.ddp.spring.client;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DdpVersions;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.Heartbeat;
import io.ddp.spring.protocol.MeteorRandom;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The {@link DdpConnection} implementation: Meteor's {@code DDP.connect} (section 6 of
 * the protocol notes) on a raw WebSocket (the JDK's {@link java.net.http.WebSocket}) or
 * SockJS. This class keeps the connection's state machine (connecting, connected, lost,
 * waiting, failed, closed) and the reset after each reconnect; method calls, the data
 * side, login, listeners and transport selection are its collaborators.
 *
 * <h2>Threads</h2>
 * <ul>
 * <li><b>I/O thread</b> (the transport's): parses each frame once, outside any lock,
 * binding a method result straight into the caller's type; then updates the protocol
 * state under the connection's lock. It never runs user code. A blocking caller's result
 * is handed over from here directly (no thread hop).</li>
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

	private static final Log logger = LogFactory.getLog(DefaultDdpConnection.class);

	private final String name;

	// replaced by reconnect(URI); written under the lock
	private volatile DdpClientOptions options;

	private final Ejson ejson;

	private final ClientFrames frames;

	private final JavaType objectType;

	private final ClientTransports transports;

	private final CallbackRunner callbacks;

	private final ScheduledThreadPoolExecutor timer;

	private final LocalCollections store;

	private final FrameLog frameLog;

	private final ClientListeners listeners;

	private final MethodCalls calls;

	private final DataSync data;

	private final ClientLogin login;

	private final Object lock = new Object();

	// Everything below is guarded by the lock

	private boolean started;

	private boolean closed;

	private int generation;

	private @Nullable ClientTransport transport;

	private ConnectionState state = ConnectionState.CONNECTING;

	private boolean ddpConnected;

	private int retryCount;

	private @Nullable Instant retryTime;

	private @Nullable String reason;

	private String proposedVersion;

	private @Nullable String version;

	private @Nullable String sessionId;

	private @Nullable String lastSessionId;

	private @Nullable ScheduledFuture<?> retryTask;

	private @Nullable ScheduledFuture<?> connectTimeoutTask;

	private volatile @Nullable Heartbeat heartbeat;

	// the reset after a transport opened: frames and other callers' calls wait for it
	private boolean resetInProgress;

	private int resetGeneration;

	private final List<DeferredFrame> deferredFrames = new ArrayList<>();

	private volatile @Nullable Thread hookThread;

	private int hookGeneration;

	private volatile DdpConnectionStatus status = new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0, null,
			null);

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
		this.options = Objects.requireNonNull(options, "'options' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		this.transports = transports;
		this.frames = new ClientFrames(ejson);
		this.objectType = ejson.mapper().getTypeFactory().constructType(Object.class);
		this.store = new LocalCollections(ejson);
		this.proposedVersion = options.supportedVersions().get(0);
		this.callbacks = new CallbackRunner(name);
		this.frameLog = new FrameLog(name, this.callbacks);
		this.listeners = new ClientListeners(name, this.callbacks);
		Quiescence quiescence = new Quiescence();
		this.calls = new MethodCalls(name, this.frames, this.callbacks, quiescence, options.callTimeout());
		this.data = new DataSync(this.store, quiescence, this.calls, this.listeners, this.callbacks);
		this.login = new ClientLogin(name, options,
				(userId) -> this.listeners.emit((listener) -> listener.userIdChanged(userId)));
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "ddp-client-" + name + "-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.scheduleWithFixedDelay(this::expireCalls, 50, 50, TimeUnit.MILLISECONDS);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public void connect() {
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			if (!this.started) {
				this.started = true;
				openTransportLocked();
			}
		}
	}

	// ---- the state machine

	private void openTransportLocked() {
		int gen = ++this.generation;
		this.transport = null;
		this.ddpConnected = false;
		this.state = ConnectionState.CONNECTING;
		this.retryTime = null;
		publishStatusLocked();
		cancel(this.connectTimeoutTask);
		this.connectTimeoutTask = this.timer.schedule(() -> connectTimedOut(gen),
				this.options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		ClientTransport.Handler handler = new ClientTransport.Handler() {

			@Override
			public void onOpen(ClientTransport transport) {
				transportOpened(gen, transport);
			}

			@Override
			public void onMessage(String text) {
				received(gen, text);
			}

			@Override
			public void onClose(int code, String reason) {
				transportClosed(gen, code, reason);
			}

		};
		try {
			this.transports.factory().open(this.options, handler);
		}
		catch (RuntimeException ex) {
			// report on the timer, not inside this lock-holding caller's stack
			this.timer.execute(() -> transportClosed(gen, 1006, "Cannot connect: " + ex));
		}
	}

	private void transportOpened(int gen, ClientTransport opened) {
		synchronized (this.lock) {
			if (gen != this.generation || this.closed || this.state == ConnectionState.OFFLINE
					|| this.state == ConnectionState.FAILED) {
				opened.abort();
				return;
			}
			ClientTransport transport = this.frameLog.wrap(opened);
			this.transport = transport;
			this.retryCount = 0;
			// connect goes first; everything else is resent by the reset on the callback
			// thread, which may run the application's reconnect hooks
			transport
				.send(this.frames.connect(this.proposedVersion, this.options.supportedVersions(), this.lastSessionId));
			this.resetInProgress = true;
			this.resetGeneration = gen;
			publishStatusLocked();
		}
		this.callbacks.execute(() -> runReset(gen));
	}

	/**
	 * Meteor's {@code onReset}, after {@code connect} was sent; on the callback thread:
	 * login and the reconnect hooks' calls go first, then the calls and subscriptions of
	 * before, then the frames that arrived meanwhile.
	 */
	private void runReset(int gen) {
		Deque<MethodBlocks.Block> old;
		synchronized (this.lock) {
			if (gen != this.generation) {
				return;
			}
			old = this.calls.beginResetLocked();
			this.hookGeneration = gen;
		}
		this.hookThread = Thread.currentThread();
		try {
			ClientLogin.Request login = this.login.requestOnReconnect();
			if (login != null) {
				loginInBackground(login);
			}
			this.listeners.runReconnectHooks(this);
		}
		finally {
			this.hookThread = null;
		}
		synchronized (this.lock) {
			ClientTransport live = (gen == this.generation) ? this.transport : null;
			this.calls.restoreLocked(old, live);
			if (this.resetGeneration != gen || !this.resetInProgress) {
				return;
			}
			this.resetInProgress = false;
			this.calls.releaseDeferredLocked(this.transport);
			if (live != null) {
				for (ClientSubscription subscription : this.data.subscriptionsLocked()) {
					live.send(subscription.frame);
				}
			}
			List<DeferredFrame> frames = new ArrayList<>(this.deferredFrames);
			this.deferredFrames.clear();
			for (DeferredFrame frame : frames) {
				if (frame.generation == this.generation) {
					handleLocked(frame.message);
				}
			}
		}
	}

	private void transportClosed(int gen, int code, String reason) {
		synchronized (this.lock) {
			if (gen == this.generation) {
				lostLocked(code, reason);
			}
		}
	}

	private void connectTimedOut(int gen) {
		synchronized (this.lock) {
			if (gen == this.generation && !this.ddpConnected && this.state == ConnectionState.CONNECTING) {
				lostLocked(1006,
						"Connect timeout: no DDP handshake within " + this.options.connectTimeout().toMillis() + " ms");
			}
		}
	}

	private void heartbeatTimedOut(int gen) {
		synchronized (this.lock) {
			if (gen == this.generation) {
				lostLocked(1006, "DDP heartbeat timed out");
			}
		}
	}

	/** Drop the current transport (if any) and stop listening to it. */
	private void dropTransportLocked(boolean graceful) {
		this.generation++;
		ClientTransport transport = this.transport;
		this.transport = null;
		if (transport != null) {
			if (graceful) {
				transport.close(1000, "");
			}
			else {
				transport.abort();
			}
		}
		this.ddpConnected = false;
		this.sessionId = null;
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.stop();
			this.heartbeat = null;
		}
		cancel(this.connectTimeoutTask);
		// the reset of the dropped transport will not send held-back calls: the next one
		// does
		this.calls.linkDroppedLocked(this.resetInProgress);
		this.resetInProgress = false;
		this.deferredFrames.clear();
	}

	private void lostLocked(int code, String reason) {
		boolean wasConnected = this.ddpConnected;
		dropTransportLocked(false);
		this.reason = reason;
		this.listeners.emit((listener) -> listener.socketClosed(code, reason));
		if (this.closed || this.state == ConnectionState.OFFLINE || this.state == ConnectionState.FAILED) {
			publishStatusLocked();
			return;
		}
		ReconnectPolicy policy = this.options.retry();
		if (!policy.enabled()) {
			failPermanentlyLocked("Connection lost and retries are disabled: " + reason);
			return;
		}
		if (policy.maxAttempts() > 0 && this.retryCount >= policy.maxAttempts()) {
			failPermanentlyLocked("Gave up after " + this.retryCount + " attempts to reconnect: " + reason);
			return;
		}
		Duration delay = policy.delay(this.retryCount, ThreadLocalRandom.current().nextDouble());
		this.state = ConnectionState.WAITING;
		this.retryTime = Instant.now().plus(delay);
		publishStatusLocked();
		logger.warn("DDP connection '" + this.name + "' to " + this.options.url()
				+ (wasConnected ? " lost: " : " could not connect: ") + reason + "; retrying in "
				+ String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0)
				+ ((this.retryCount > 0) ? " (attempt " + (this.retryCount + 1) + ")" : ""));
		int gen = this.generation;
		cancel(this.retryTask);
		this.retryTask = this.timer.schedule(() -> retryFromTimer(gen), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void retryFromTimer(int gen) {
		synchronized (this.lock) {
			if (gen == this.generation && this.state == ConnectionState.WAITING) {
				this.retryCount++;
				openTransportLocked();
			}
		}
	}

	private void failPermanentlyLocked(String reason) {
		cancel(this.retryTask);
		this.state = ConnectionState.FAILED;
		this.reason = reason;
		this.retryTime = null;
		publishStatusLocked();
		if (!this.closed) {
			logger.error("DDP connection '" + this.name + "' to " + this.options.url() + " failed for good: " + reason
					+ "; calls fail until reconnect() is called");
		}
		this.listeners.emit((listener) -> listener.failed(reason));
		this.calls.failAllLocked(new DdpException(this.closed ? "connection-closed" : "connection-failed",
				this.closed ? "DDP connection '" + this.name + "' was closed" : reason));
	}

	@Override
	public void reconnect() {
		synchronized (this.lock) {
			if (this.closed || this.state == ConnectionState.CONNECTED || this.transport != null) {
				return;
			}
			this.started = true;
			cancel(this.retryTask);
			// an attempt still opening is abandoned; manual retries do not count
			this.generation++;
			openTransportLocked();
		}
	}

	@Override
	public void reconnect(URI url) {
		Objects.requireNonNull(url, "'url' must not be null");
		DdpClientOptions moved = this.options.withUrl(url);
		ClientTransports.checkUrl(moved);
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			URI previous = this.options.url();
			this.options = moved;
			this.started = true;
			cancel(this.retryTask);
			boolean hadLink = this.transport != null;
			// as Meteor's reconnect({url}): the link drops even when connected; calls not
			// answered yet and subscriptions are sent again on the new one
			dropTransportLocked(true);
			if (hadLink) {
				String reason = "Reconnecting to " + url;
				this.listeners.emit((listener) -> listener.socketClosed(1000, reason));
			}
			logger.info("DDP connection '" + this.name + "' moves from " + previous + " to " + url);
			openTransportLocked();
		}
	}

	@Override
	public void disconnect() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			cancel(this.retryTask);
			dropTransportLocked(true);
			this.state = ConnectionState.OFFLINE;
			this.retryTime = null;
			this.reason = null;
			publishStatusLocked();
		}
	}

	@Override
	public void close() {
		List<ClientSubscription> subs;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			dropTransportLocked(true);
			failPermanentlyLocked("Connection closed");
			subs = this.data.clearLocked();
		}
		for (ClientSubscription subscription : subs) {
			this.callbacks.execute(() -> subscription.end(null));
		}
		this.timer.shutdownNow();
		this.callbacks.shutdown(2000);
		this.transports.shutdown();
	}

	// ---- incoming frames

	private void received(int gen, String text) {
		this.frameLog.received(text);
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.messageReceived();
		}
		IncomingMessage message;
		try {
			try {
				message = this.frames.parse(text, this.calls.lookup);
			}
			catch (ClientFrames.ResultBindingException ex) {
				message = this.frames.parse(text, (id) -> null);
				message.decoded = new IncomingMessage.DecodedResult(null, null, (RuntimeException) ex.getCause());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("DDP connection '" + this.name + "' ignored a frame that is not a DDP message: "
					+ ((text.length() > 200) ? text.substring(0, 200) + "..." : text), ex);
			return;
		}
		synchronized (this.lock) {
			if (gen != this.generation) {
				return;
			}
			if ("ping".equals(message.msg)) {
				if (this.transport != null) {
					this.transport.send(this.frames.pong(message.id));
				}
			}
			else if (this.resetInProgress) {
				this.deferredFrames.add(new DeferredFrame(gen, message));
			}
			else {
				handleLocked(message);
			}
		}
	}

	private void handleLocked(IncomingMessage message) {
		String msg = message.msg;
		if (msg == null) {
			// Meteor before 2.3 greets with {"server_id":"0"}; other msg-less frames are
			// dropped too
			if (!(message.hasServerId && message.memberCount == 1)) {
				logger.debug("DDP connection '" + this.name + "' ignored a message without 'msg'");
			}
			return;
		}
		switch (msg) {
			case "connected" -> connectedLocked(message);
			case "failed" -> versionRefusedLocked(message);
			case "result" -> this.calls.resultLocked(message, idleTransportLocked());
			case "added", "changed", "removed", "ready", "updated", "nosub" ->
				this.data.dataLocked(message, idleTransportLocked());
			case "pong" -> {
			}
			case "error" ->
				logger.warn("DDP server of connection '" + this.name + "' reported an error: " + message.reason);
			default -> logger.debug("DDP connection '" + this.name + "' ignored message '" + msg + "'");
		}
	}

	/** The transport new blocks of calls go out on: none while a reset holds them. */
	private @Nullable ClientTransport idleTransportLocked() {
		return this.resetInProgress ? null : this.transport;
	}

	private void connectedLocked(IncomingMessage message) {
		cancel(this.connectTimeoutTask);
		String session = message.session;
		boolean reconnect = this.lastSessionId != null;
		boolean reset = reconnect && !Objects.equals(session, this.lastSessionId);
		this.lastSessionId = session;
		this.sessionId = session;
		String version = this.proposedVersion;
		this.version = version;
		this.ddpConnected = true;
		this.state = ConnectionState.CONNECTED;
		this.reason = null;
		int gen = this.generation;
		if (DdpVersions.hasHeartbeat(version) && this.options.heartbeatInterval().toMillis() > 0) {
			Heartbeat heartbeat = new Heartbeat(this.timer, this.options.heartbeatInterval(),
					this.options.heartbeatTimeout(), () -> sendPing(gen), () -> heartbeatTimedOut(gen));
			this.heartbeat = heartbeat;
			heartbeat.start();
		}
		this.data.connectedLocked(reset, idleTransportLocked());
		publishStatusLocked();
		logger.info("DDP connection '" + this.name + "' " + (reconnect ? "reconnected" : "connected") + " to "
				+ this.options.url() + " (session " + session + ", DDP version " + version
				+ ((reconnect && !reset) ? ", session resumed" : "") + ")");
		this.listeners
			.emit((listener) -> listener.connected(Objects.requireNonNullElse(session, ""), version, reconnect));
	}

	private void sendPing(int gen) {
		synchronized (this.lock) {
			if (gen == this.generation && this.transport != null) {
				this.transport.send(this.frames.ping(null));
			}
		}
	}

	private void versionRefusedLocked(IncomingMessage message) {
		String serverVersion = message.version;
		dropTransportLocked(false);
		String retryWith = DdpVersions.retryWith(serverVersion, this.options.supportedVersions());
		if (retryWith != null) {
			logger.info("DDP connection '" + this.name + "': the server speaks DDP version " + retryWith
					+ ", reconnecting with it");
			this.proposedVersion = retryWith;
			openTransportLocked();
			return;
		}
		this.listeners.emit((listener) -> listener.versionMismatch(String.valueOf(serverVersion)));
		failPermanentlyLocked("DDP version negotiation failed; server requested version " + serverVersion);
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
		synchronized (this.lock) {
			return this.data.subscriptionsLocked().size();
		}
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
		submit(invoker);
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
		submit(invoker);
		return (T) MethodCalls.await(invoker);
	}

	private void submit(MethodInvoker invoker) {
		DdpException refused = null;
		synchronized (this.lock) {
			if (this.closed) {
				refused = new DdpException("connection-closed", "DDP connection '" + this.name + "' was closed");
			}
			else if (this.state == ConnectionState.FAILED) {
				refused = new DdpException("connection-failed", String.valueOf(this.reason));
			}
			else if (this.resetInProgress && this.hookThread != Thread.currentThread()) {
				// the reset puts login, hook calls and resent calls first
				this.calls.deferLocked(invoker);
			}
			else {
				boolean sendable = !this.resetInProgress || this.hookGeneration == this.generation;
				this.calls.addLocked(invoker, sendable ? this.transport : null);
			}
		}
		if (refused != null) {
			MethodCalls.refuse(invoker, refused);
		}
	}

	private void expireCalls() {
		if (!this.calls.isEmpty()) {
			long now = System.nanoTime();
			synchronized (this.lock) {
				this.calls.expireLocked(now, idleTransportLocked());
			}
		}
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
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			this.data.addLocked(subscription);
			if (this.transport != null && !this.resetInProgress) {
				this.transport.send(frame);
			}
		}
		return subscription;
	}

	void unsubscribe(ClientSubscription subscription) {
		synchronized (this.lock) {
			if (this.data.removeLocked(subscription.id()) && this.transport != null && !this.resetInProgress) {
				this.transport.send(this.frames.unsub(subscription.id()));
			}
		}
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

	// ---- status and listeners

	@Override
	public DdpConnectionStatus status() {
		return this.status;
	}

	@Override
	public @Nullable String version() {
		synchronized (this.lock) {
			return this.version;
		}
	}

	@Override
	public @Nullable String sessionId() {
		synchronized (this.lock) {
			return this.sessionId;
		}
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

	private void publishStatusLocked() {
		DdpConnectionStatus next = new DdpConnectionStatus(this.state, this.ddpConnected, this.retryCount,
				(this.state == ConnectionState.WAITING) ? this.retryTime : null, this.reason);
		if (!next.equals(this.status)) {
			this.status = next;
			this.listeners.emit((listener) -> listener.statusChanged(next));
		}
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

	private void loginInBackground(ClientLogin.Request request) {
		MethodInvoker invoker = this.calls.create("login", List.of(request.params()),
				CallOptions.defaults().withWait(true), this.objectType, null, false);
		invoker.future.whenComplete((result, ex) -> this.login.reconnectLoginFinished(request, result, ex));
		submit(invoker);
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

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	@Override
	public String toString() {
		return "DdpConnection '" + this.name + "' to " + this.options.url() + " (" + this.status.state() + ")";
	}

	private record DeferredFrame(int generation, IncomingMessage message) {
	}

}
