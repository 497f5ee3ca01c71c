package io.ddp.spring.client;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.util.ClassUtils;

/**
 * The {@link DdpConnection} implementation: Meteor's {@code DDP.connect} (section 6 of
 * the protocol notes) on a raw WebSocket (the JDK's {@link java.net.http.WebSocket}) or
 * SockJS.
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

	/** Meteor's reason for a {@code noRetry} call cut by a dropped connection. */
	static final String NO_RETRY_REASON = "Method invocation might have failed due to dropped connection. "
			+ "Failing because `noRetry` option was passed to Meteor.apply.";

	private static final JsonMapper PLAIN = JsonMapper.builder().build();

	private static final java.util.Set<String> RESTRICTED_HEADERS = java.util.Set.of("connection", "content-length",
			"expect", "host", "upgrade");

	private final String name;

	private final DdpClientOptions options;

	private final Ejson ejson;

	private final ClientFrames frames;

	private final JavaType objectType;

	private final ClientTransport.Factory transports;

	private final @Nullable HttpClient httpClient;

	private final CallbackRunner callbacks;

	private final ScheduledThreadPoolExecutor timer;

	private final LocalCollections store;

	private final Object lock = new Object();

	private volatile DdpCallObserver callObserver = DdpCallObserver.NONE;

	private final AtomicLong nextMethodId = new AtomicLong();

	private final ConcurrentHashMap<String, MethodInvoker> invokers = new ConcurrentHashMap<>();

	private final MethodBlocks blocks = new MethodBlocks();

	private final Quiescence quiescence = new Quiescence();

	private final Map<String, ClientSubscription> subscriptions = new LinkedHashMap<>();

	private final CopyOnWriteArrayList<DdpClientListener> listeners = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<Consumer<DdpConnection>> reconnectHooks = new CopyOnWriteArrayList<>();

	private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<DocumentChange>>> collectionListeners = new ConcurrentHashMap<>();

	private final List<MethodInvoker> deferredCalls = new ArrayList<>();

	private final List<DeferredFrame> deferredFrames = new ArrayList<>();

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

	private volatile @Nullable ClientHeartbeat heartbeat;

	private boolean resetInProgress;

	private int resetGeneration;

	private volatile @Nullable Thread hookThread;

	private int hookGeneration;

	private int sentCount;

	private @Nullable String resumeToken;

	private volatile @Nullable String userId;

	private boolean credentialsUsed;

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
		this.name = Objects.requireNonNull(name, "'name' must not be null");
		this.options = Objects.requireNonNull(options, "'options' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		this.frames = new ClientFrames(ejson);
		this.objectType = ejson.mapper().getTypeFactory().constructType(Object.class);
		this.httpClient = (options.transport() == DdpClientOptions.Transport.WEBSOCKET) ? createHttpClient(options)
				: null;
		this.transports = (this.httpClient != null) ? JdkWebSocketTransport.factory(this.httpClient)
				: createSockJsTransports(options);
		this.store = new LocalCollections(ejson);
		this.proposedVersion = options.supportedVersions().get(0);
		this.resumeToken = options.resumeToken();
		this.callbacks = new CallbackRunner(name);
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "ddp-client-" + name + "-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
		this.timer.scheduleWithFixedDelay(this::expireCalls, 50, 50, TimeUnit.MILLISECONDS);
	}

	private static HttpClient createHttpClient(DdpClientOptions options) {
		JdkWebSocketTransport.webSocketUri(options.url());
		for (String header : options.headers().keySet()) {
			String lower = header.toLowerCase(java.util.Locale.ROOT);
			// the JDK sets these itself and would refuse every attempt to connect
			if (RESTRICTED_HEADERS.contains(lower) || lower.startsWith("sec-websocket-")) {
				throw new IllegalArgumentException("Header '" + header
						+ "' cannot be set on the WebSocket upgrade request: the JDK's WebSocket client sets it");
			}
		}
		// A direct executor: the JDK then reads and calls the listener on its selector
		// thread
		// instead of handing every read to a worker thread. The listener never blocks.
		return HttpClient.newBuilder().connectTimeout(options.connectTimeout()).executor(Runnable::run).build();
	}

	private static ClientTransport.Factory createSockJsTransports(DdpClientOptions options) {
		if (!ClassUtils.isPresent("org.springframework.web.socket.sockjs.client.SockJsClient",
				DefaultDdpConnection.class.getClassLoader())) {
			throw new IllegalStateException("The SockJS transport needs spring-websocket on the class path "
					+ "(org.springframework:spring-websocket, e.g. through spring-boot-starter-websocket); "
					+ "add it or use Transport.WEBSOCKET");
		}
		SockJsTransport.sockJsUri(options.url());
		return SockJsTransport.factory();
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
			if (this.started) {
				return;
			}
			this.started = true;
			openTransportLocked();
		}
	}

	// ---- transport lifecycle

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
			this.transports.open(this.options, handler);
		}
		catch (RuntimeException ex) {
			// report on the timer, not inside this lock-holding caller's stack
			this.timer.execute(() -> transportClosed(gen, 1006, "Cannot connect: " + ex));
		}
	}

	private void transportOpened(int gen, ClientTransport transport) {
		synchronized (this.lock) {
			if (gen != this.generation || this.closed || this.state == ConnectionState.OFFLINE
					|| this.state == ConnectionState.FAILED) {
				transport.abort();
				return;
			}
			this.transport = transport;
			this.retryCount = 0;
			// connect goes first; everything else is resent by the reset on the callback
			// thread,
			// which may run the application's reconnect hooks
			transport
				.send(this.frames.connect(this.proposedVersion, this.options.supportedVersions(), this.lastSessionId));
			this.resetInProgress = true;
			this.resetGeneration = gen;
			publishStatusLocked();
		}
		this.callbacks.execute(() -> runReset(gen));
	}

	/**
	 * Meteor's {@code onReset}, after {@code connect} was sent; on the callback thread.
	 */
	private void runReset(int gen) {
		Deque<MethodBlocks.Block> old;
		String token;
		boolean passwordLogin;
		synchronized (this.lock) {
			if (gen != this.generation) {
				return;
			}
			// calls that have all their results but await data are not resent
			this.blocks.dropFirstIfEmpty();
			markAllUnsentLocked();
			old = this.blocks.takeAll();
			this.hookGeneration = gen;
			token = this.resumeToken;
			passwordLogin = token == null && !this.credentialsUsed && this.options.username() != null
					&& this.options.password() != null;
			if (passwordLogin) {
				this.credentialsUsed = true;
			}
		}
		this.hookThread = Thread.currentThread();
		try {
			if (token != null) {
				loginInBackground(Map.of("resume", token), true);
			}
			else if (passwordLogin) {
				loginInBackground(passwordRequest(Objects.requireNonNull(this.options.username()),
						Objects.requireNonNull(this.options.password())), false);
			}
			for (Consumer<DdpConnection> hook : this.reconnectHooks) {
				try {
					hook.accept(this);
				}
				catch (RuntimeException ex) {
					logger.error("DDP reconnect hook of connection '" + this.name + "' failed", ex);
				}
			}
		}
		finally {
			this.hookThread = null;
		}
		synchronized (this.lock) {
			boolean live = gen == this.generation && this.transport != null;
			List<MethodInvoker> toSend = this.blocks.restore(old);
			if (live) {
				for (MethodInvoker invoker : toSend) {
					if (!invoker.sent) {
						sendLocked(invoker);
					}
				}
			}
			if (this.resetGeneration != gen || !this.resetInProgress) {
				return;
			}
			this.resetInProgress = false;
			for (MethodInvoker invoker : this.deferredCalls) {
				addCallLocked(invoker);
			}
			this.deferredCalls.clear();
			if (live) {
				ClientTransport transport = Objects.requireNonNull(this.transport);
				for (ClientSubscription subscription : this.subscriptions.values()) {
					transport.send(subscription.frame);
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
			if (gen != this.generation) {
				return;
			}
			lostLocked(code, reason);
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
		ClientHeartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.stop();
			this.heartbeat = null;
		}
		cancel(this.connectTimeoutTask);
		if (this.resetInProgress) {
			// the reset of the dropped transport will not send these; keep them for the
			// next one
			this.resetInProgress = false;
			for (MethodInvoker invoker : this.deferredCalls) {
				this.blocks.add(invoker);
			}
			this.deferredCalls.clear();
		}
		this.deferredFrames.clear();
		failNoRetryLocked();
		markAllUnsentLocked();
	}

	private void lostLocked(int code, String reason) {
		dropTransportLocked(false);
		this.reason = reason;
		emit((listener) -> listener.socketClosed(code, reason));
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
		int gen = this.generation;
		cancel(this.retryTask);
		this.retryTask = this.timer.schedule(() -> retryFromTimer(gen), delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void retryFromTimer(int gen) {
		synchronized (this.lock) {
			if (gen != this.generation || this.state != ConnectionState.WAITING) {
				return;
			}
			this.retryCount++;
			openTransportLocked();
		}
	}

	private void failPermanentlyLocked(String reason) {
		cancel(this.retryTask);
		this.state = ConnectionState.FAILED;
		this.reason = reason;
		this.retryTime = null;
		publishStatusLocked();
		emit((listener) -> listener.failed(reason));
		failAllCallsLocked(new DdpException("connection-failed", reason));
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
			cancel(this.retryTask);
			dropTransportLocked(true);
			this.state = ConnectionState.FAILED;
			this.reason = "Connection closed";
			this.retryTime = null;
			publishStatusLocked();
			emit((listener) -> listener.failed("Connection closed"));
			failAllCallsLocked(new DdpException("connection-closed", "DDP connection '" + this.name + "' was closed"));
			subs = new ArrayList<>(this.subscriptions.values());
			this.subscriptions.clear();
		}
		for (ClientSubscription subscription : subs) {
			this.callbacks.execute(() -> subscription.end(null));
		}
		this.timer.shutdownNow();
		this.callbacks.shutdown(2000);
		shutdownHttpClient();
	}

	private void shutdownHttpClient() {
		// HttpClient.shutdownNow() exists from Java 21; on 17 its selector thread ends
		// when the
		// client is garbage collected
		if (this.httpClient != null) {
			try {
				HttpClient.class.getMethod("shutdownNow").invoke(this.httpClient);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Java 17
			}
		}
	}

	// ---- incoming frames

	private void received(int gen, String text) {
		ClientHeartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.messageReceived();
		}
		IncomingMessage message;
		try {
			try {
				message = this.frames.parse(text, this.invokers::get);
			}
			catch (ClientFrames.ResultBindingException ex) {
				message = this.frames.parse(text, (id) -> null);
				message.decoded = new IncomingMessage.DecodedResult(null, null, (RuntimeException) ex.getCause());
			}
		}
		catch (RuntimeException ex) {
			logger.warn(
					"DDP connection '" + this.name + "' ignored a frame that is not a DDP message: " + abbreviate(text),
					ex);
			return;
		}
		synchronized (this.lock) {
			if (gen != this.generation) {
				return;
			}
			if ("ping".equals(message.msg)) {
				ClientTransport transport = this.transport;
				if (transport != null) {
					transport.send(this.frames.pong(message.id));
				}
				return;
			}
			if (this.resetInProgress) {
				this.deferredFrames.add(new DeferredFrame(gen, message));
				return;
			}
			handleLocked(message);
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
			case "result" -> resultLocked(message);
			case "added", "changed", "removed", "ready", "updated", "nosub" -> dataLocked(message);
			case "pong" -> {
			}
			case "error" ->
				logger.warn("DDP server of connection '" + this.name + "' reported an error: " + message.reason);
			default -> logger.debug("DDP connection '" + this.name + "' ignored message '" + msg + "'");
		}
	}

	private void connectedLocked(IncomingMessage message) {
		cancel(this.connectTimeoutTask);
		String session = message.session;
		boolean reconnect = this.lastSessionId != null;
		boolean reset = reconnect && !Objects.equals(session, this.lastSessionId);
		this.lastSessionId = session;
		this.sessionId = session;
		this.version = this.proposedVersion;
		this.ddpConnected = true;
		this.state = ConnectionState.CONNECTED;
		this.reason = null;
		int gen = this.generation;
		if (!"pre1".equals(this.version) && this.options.heartbeatInterval().toMillis() > 0) {
			ClientHeartbeat heartbeat = new ClientHeartbeat(this.options.heartbeatInterval().toMillis(),
					this.options.heartbeatTimeout().toMillis(), this.timer, () -> sendPing(gen),
					() -> heartbeatTimedOut(gen));
			this.heartbeat = heartbeat;
			heartbeat.start();
		}
		List<String> readySubs = new ArrayList<>();
		for (ClientSubscription subscription : this.subscriptions.values()) {
			if (subscription.readyReceived) {
				readySubs.add(subscription.id());
			}
		}
		List<String> sent = new ArrayList<>();
		List<MethodInvoker> halfFinished = new ArrayList<>();
		for (MethodInvoker invoker : this.invokers.values()) {
			if (invoker.gotResult && !invoker.dataVisible) {
				halfFinished.add(invoker);
			}
			else if (invoker.sent) {
				sent.add(invoker.id);
			}
		}
		this.quiescence.connected(reset, readySubs, sent, halfFinished);
		if (!this.quiescence.isWaiting()) {
			applyBatchLocked(List.of(), this.quiescence.takeReset());
			runAfterUpdateLocked();
		}
		publishStatusLocked();
		String version = this.version;
		emit((listener) -> listener.connected(Objects.requireNonNullElse(session, ""), version, reconnect));
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
		if (serverVersion != null && this.options.supportedVersions().contains(serverVersion)) {
			this.proposedVersion = serverVersion;
			openTransportLocked();
			return;
		}
		emit((listener) -> listener.versionMismatch(String.valueOf(serverVersion)));
		failPermanentlyLocked("DDP version negotiation failed; server requested version " + serverVersion);
	}

	private void resultLocked(IncomingMessage message) {
		if (message.id == null) {
			return;
		}
		MethodInvoker invoker = this.blocks.removeFromFirst(message.id);
		if (invoker == null) {
			logger.debug("DDP connection '" + this.name + "': can't match method response to original method call "
					+ message.id);
			return;
		}
		Object value = null;
		Object plain = null;
		Throwable failure = null;
		if (message.error != null) {
			failure = toException(message.error);
		}
		else if (message.hasResult) {
			IncomingMessage.DecodedResult decoded = message.decoded;
			if (decoded == null) {
				decoded = (message.resultTree != null) ? this.frames.decode(invoker, message.resultTree)
						: new IncomingMessage.DecodedResult(null, null, null);
			}
			value = decoded.value();
			plain = decoded.plain();
			failure = decoded.failure();
		}
		invoker.receiveResult(value, failure);
		if (invoker.onResultReceived != null) {
			var callback = invoker.onResultReceived;
			Object callbackValue = plain;
			DdpException callbackError = (failure instanceof DdpException ddp) ? ddp : null;
			this.callbacks.execute(() -> callback.accept(callbackValue, callbackError));
		}
		if (invoker.dataVisible) {
			finishLocked(invoker);
		}
	}

	private void dataLocked(IncomingMessage message) {
		List<IncomingMessage> batch = this.quiescence.offer(message);
		if (batch == null) {
			return;
		}
		applyBatchLocked(batch, this.quiescence.takeReset());
		if (batch.size() > 1 || batch.get(0) != message) {
			runAfterUpdateLocked();
		}
	}

	private void applyBatchLocked(List<IncomingMessage> batch, boolean reset) {
		List<DocumentChange> changes = this.store.apply(batch, reset);
		if (!changes.isEmpty()) {
			this.callbacks.execute(() -> dispatchChanges(changes));
		}
		for (IncomingMessage message : batch) {
			switch (Objects.requireNonNull(message.msg)) {
				case "ready" -> readyLocked(message);
				case "updated" -> updatedLocked(message);
				case "nosub" -> nosubLocked(message);
				default -> {
				}
			}
		}
	}

	private void runAfterUpdateLocked() {
		for (MethodInvoker invoker : this.quiescence.takeAfterUpdate()) {
			invoker.dataVisible = true;
			if (invoker.gotResult) {
				finishLocked(invoker);
			}
		}
	}

	private void readyLocked(IncomingMessage message) {
		if (message.subs == null) {
			return;
		}
		for (String id : message.subs) {
			ClientSubscription subscription = this.subscriptions.get(id);
			if (subscription != null && !subscription.readyReceived) {
				subscription.readyReceived = true;
				this.callbacks.execute(subscription::markReady);
			}
		}
	}

	private void nosubLocked(IncomingMessage message) {
		if (message.id == null) {
			return;
		}
		ClientSubscription subscription = this.subscriptions.remove(message.id);
		if (subscription != null) {
			DdpException error = (message.error != null) ? toException(message.error) : null;
			this.callbacks.execute(() -> subscription.end(error));
		}
	}

	private void updatedLocked(IncomingMessage message) {
		if (message.methods == null) {
			return;
		}
		for (String id : message.methods) {
			MethodInvoker invoker = this.invokers.get(id);
			if (invoker == null) {
				continue;
			}
			invoker.dataVisible = true;
			if (invoker.gotResult) {
				finishLocked(invoker);
			}
		}
	}

	private void dispatchChanges(List<DocumentChange> changes) {
		for (DocumentChange change : changes) {
			for (DdpClientListener listener : this.listeners) {
				try {
					switch (change.kind()) {
						case ADDED -> listener.added(change.collection(), change.id(), change.fields());
						case CHANGED ->
							listener.changed(change.collection(), change.id(), change.fields(), change.cleared());
						case REMOVED -> listener.removed(change.collection(), change.id());
					}
				}
				catch (RuntimeException ex) {
					logger.error("DDP client listener failed", ex);
				}
			}
			List<Consumer<DocumentChange>> forCollection = this.collectionListeners.get(change.collection());
			if (forCollection != null) {
				for (Consumer<DocumentChange> listener : forCollection) {
					try {
						listener.accept(change);
					}
					catch (RuntimeException ex) {
						logger.error("DDP collection listener failed", ex);
					}
				}
			}
		}
	}

	// ---- observation and statistics

	/**
	 * Set who is told about every call this connection makes (the auto-configuration sets
	 * the {@code ddp.client.calls} observations when Micrometer is present).
	 * @param observer the observer, {@code null} for none
	 */
	public void setCallObserver(@Nullable DdpCallObserver observer) {
		this.callObserver = (observer != null) ? observer : DdpCallObserver.NONE;
	}

	@Override
	public int activeCallCount() {
		return this.invokers.size();
	}

	@Override
	public int subscriptionCount() {
		synchronized (this.lock) {
			return this.subscriptions.size();
		}
	}

	// ---- methods

	@Override
	public @Nullable Object call(String method, @Nullable Object... args) {
		return invokeBlocking(method, asList(args), CallOptions.defaults(), this.objectType);
	}

	@Override
	public <T> @Nullable T call(String method, Class<T> resultType, @Nullable Object... args) {
		return invokeBlocking(method, asList(args), CallOptions.defaults(), javaType(resultType));
	}

	@Override
	public <T> @Nullable T call(String method, ParameterizedTypeReference<T> resultType, @Nullable Object... args) {
		return invokeBlocking(method, asList(args), CallOptions.defaults(), javaType(resultType));
	}

	@Override
	public CompletableFuture<@Nullable Object> callAsync(String method, @Nullable Object... args) {
		return invokeAsync(method, asList(args), CallOptions.defaults(), this.objectType, null);
	}

	@Override
	public <T> CompletableFuture<@Nullable T> callAsync(String method, Class<T> resultType, @Nullable Object... args) {
		return invokeAsync(method, asList(args), CallOptions.defaults(), javaType(resultType), null);
	}

	@Override
	public <T> @Nullable T apply(String method, List<?> args, CallOptions options, Class<T> resultType) {
		return invokeBlocking(method, args, options, javaType(resultType));
	}

	@Override
	public <T> CompletableFuture<@Nullable T> applyAsync(String method, List<?> args, CallOptions options,
			ParameterizedTypeReference<T> resultType) {
		return invokeAsync(method, args, options, javaType(resultType), null);
	}

	<T> CompletableFuture<@Nullable T> invokeAsync(String method, List<?> args, CallOptions options,
			Class<T> resultType, @Nullable String randomSeed) {
		return invokeAsync(method, args, options, javaType(resultType), randomSeed);
	}

	@SuppressWarnings("unchecked")
	private <T> CompletableFuture<@Nullable T> invokeAsync(String method, List<?> args, CallOptions options,
			JavaType resultType, @Nullable String randomSeed) {
		MethodInvoker invoker;
		try {
			invoker = newInvoker(method, args, options, resultType, randomSeed, false);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		submit(invoker);
		return (CompletableFuture<@Nullable T>) (CompletableFuture<?>) invoker.future;
	}

	@SuppressWarnings("unchecked")
	private <T> @Nullable T invokeBlocking(String method, List<?> args, CallOptions options, JavaType resultType) {
		checkNotCallbackThread(method);
		MethodInvoker invoker = newInvoker(method, args, options, resultType, null, true);
		submit(invoker);
		return (T) await(invoker);
	}

	private void checkNotCallbackThread(String method) {
		if (this.callbacks.isCallbackThread()) {
			throw new IllegalStateException("Blocking call of '" + method + "' on a callback of DDP connection '"
					+ this.name + "' would deadlock: callbacks run on the connection's only callback thread, which "
					+ "delivers the result. Use callAsync/applyAsync in callbacks and reconnect hooks");
		}
	}

	private MethodInvoker newInvoker(String method, List<?> args, CallOptions options, JavaType resultType,
			@Nullable String randomSeed, boolean direct) {
		Objects.requireNonNull(method, "'method' must not be null");
		Objects.requireNonNull(options, "'options' must not be null");
		String id = Long.toString(this.nextMethodId.incrementAndGet());
		String frame;
		try {
			frame = this.frames.method(id, method, (args != null) ? args : List.of(), randomSeed);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(
					"Cannot write the arguments of '" + method + "' as EJSON: " + ex.getMessage(), ex);
		}
		Duration timeout = (options.timeout() != null) ? options.timeout() : this.options.callTimeout();
		long deadline = (timeout.isZero() || timeout.isNegative()) ? 0 : System.nanoTime() + timeout.toNanos();
		boolean plain = resultType.getRawClass() == Object.class;
		return new MethodInvoker(id, method, frame, options, resultType, plain, direct, deadline);
	}

	private void submit(MethodInvoker invoker) {
		invoker.observation = this.callObserver.callStarted(this.name, invoker.method);
		DdpException refused = null;
		synchronized (this.lock) {
			if (this.closed) {
				refused = new DdpException("connection-closed", "DDP connection '" + this.name + "' was closed");
			}
			else if (this.state == ConnectionState.FAILED) {
				refused = new DdpException("connection-failed", String.valueOf(this.reason));
			}
			else {
				this.invokers.put(invoker.id, invoker);
				addCallLocked(invoker);
			}
		}
		if (refused != null) {
			invoker.observation.finished(refused);
			invoker.future.completeExceptionally(refused);
		}
	}

	private void addCallLocked(MethodInvoker invoker) {
		boolean fromHook = this.hookThread == Thread.currentThread();
		if (this.resetInProgress && !fromHook) {
			// the reset puts hook calls and resent calls first
			this.deferredCalls.add(invoker);
			return;
		}
		if (this.blocks.add(invoker) && this.transport != null
				&& (!this.resetInProgress || this.hookGeneration == this.generation)) {
			sendLocked(invoker);
		}
	}

	private void sendLocked(MethodInvoker invoker) {
		invoker.sent = true;
		invoker.dataVisible = false;
		this.sentCount++;
		if (invoker.wait) {
			this.quiescence.blockOn(invoker.id);
		}
		Objects.requireNonNull(this.transport).send(invoker.frame);
	}

	private void finishLocked(MethodInvoker invoker) {
		if (invoker.finished) {
			return;
		}
		invoker.finished = true;
		this.invokers.remove(invoker.id);
		if (invoker.sent) {
			invoker.sent = false;
			this.sentCount--;
		}
		complete(invoker);
		outstandingMethodFinishedLocked();
	}

	private void complete(MethodInvoker invoker) {
		Throwable failure = invoker.failure;
		Object value = invoker.value;
		invoker.observation.finished(failure);
		if (invoker.completeDirectly) {
			completeNow(invoker.future, value, failure);
		}
		else {
			this.callbacks.execute(() -> completeNow(invoker.future, value, failure));
		}
	}

	private static void completeNow(CompletableFuture<@Nullable Object> future, @Nullable Object value,
			@Nullable Throwable failure) {
		if (failure != null) {
			future.completeExceptionally(failure);
		}
		else {
			future.complete(value);
		}
	}

	/**
	 * Meteor's {@code _outstandingMethodFinished}: start the next block when nothing sent
	 * is unfinished.
	 */
	private void outstandingMethodFinishedLocked() {
		if (this.sentCount > 0) {
			return;
		}
		if (this.blocks.dropFirstIfEmpty() && this.transport != null && !this.resetInProgress) {
			for (MethodInvoker invoker : this.blocks.first()) {
				if (!invoker.sent) {
					sendLocked(invoker);
				}
			}
		}
	}

	private void failCallLocked(MethodInvoker invoker, DdpException error) {
		this.blocks.remove(invoker);
		this.deferredCalls.remove(invoker);
		this.quiescence.forget(invoker.id);
		invoker.receiveResult(null, error);
		invoker.dataVisible = true;
		finishLocked(invoker);
	}

	private void failNoRetryLocked() {
		for (MethodInvoker invoker : new ArrayList<>(this.blocks.first())) {
			if (invoker.sent && invoker.noRetry) {
				failCallLocked(invoker, new DdpException("invocation-failed", NO_RETRY_REASON));
			}
		}
	}

	private void markAllUnsentLocked() {
		for (MethodInvoker invoker : this.invokers.values()) {
			invoker.sent = false;
		}
		this.sentCount = 0;
	}

	private void failAllCallsLocked(DdpException error) {
		for (MethodInvoker invoker : new ArrayList<>(this.invokers.values())) {
			failCallLocked(invoker, error);
		}
		this.deferredCalls.clear();
	}

	private void expireCalls() {
		if (this.invokers.isEmpty()) {
			return;
		}
		long now = System.nanoTime();
		synchronized (this.lock) {
			for (MethodInvoker invoker : new ArrayList<>(this.invokers.values())) {
				if (invoker.deadlineNanos != 0 && now - invoker.deadlineNanos >= 0 && !invoker.finished) {
					failCallLocked(invoker, new DdpException("timeout",
							"Method '" + invoker.method + "' timed out: no result within the call timeout"));
				}
			}
		}
	}

	private @Nullable Object await(MethodInvoker invoker) {
		try {
			return invoker.future.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof DdpException ddp) {
				// a fresh instance, so the caller's stack shows up
				DdpException thrown = new DdpException(ddp.getError(), ddp.getReason(), ddp.getDetails(), ddp);
				throw thrown;
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DdpException("interrupted",
					"Interrupted while waiting for the result of '" + invoker.method + "'");
		}
	}

	// ---- subscriptions and collections

	@Override
	public DdpSubscription subscribe(String name, @Nullable Object... args) {
		Objects.requireNonNull(name, "'name' must not be null");
		List<@Nullable Object> params = Collections.unmodifiableList(new ArrayList<>(asList(args)));
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
			this.subscriptions.put(id, subscription);
			if (this.transport != null && !this.resetInProgress) {
				this.transport.send(frame);
			}
		}
		return subscription;
	}

	void unsubscribe(ClientSubscription subscription) {
		synchronized (this.lock) {
			if (this.subscriptions.remove(subscription.id()) != null && this.transport != null
					&& !this.resetInProgress) {
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
		CopyOnWriteArrayList<Consumer<DocumentChange>> list = this.collectionListeners.computeIfAbsent(collection,
				(key) -> new CopyOnWriteArrayList<>());
		list.add(listener);
		return () -> list.remove(listener);
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
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	@Override
	public AutoCloseable onReconnect(Consumer<DdpConnection> hook) {
		Objects.requireNonNull(hook, "'hook' must not be null");
		this.reconnectHooks.add(hook);
		return () -> this.reconnectHooks.remove(hook);
	}

	private void publishStatusLocked() {
		DdpConnectionStatus next = new DdpConnectionStatus(this.state, this.ddpConnected, this.retryCount,
				(this.state == ConnectionState.WAITING) ? this.retryTime : null, this.reason);
		if (!next.equals(this.status)) {
			this.status = next;
			emit((listener) -> listener.statusChanged(next));
		}
	}

	private void emit(Consumer<DdpClientListener> event) {
		if (this.listeners.isEmpty()) {
			return;
		}
		this.callbacks.execute(() -> {
			for (DdpClientListener listener : this.listeners) {
				try {
					event.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.error("DDP client listener failed", ex);
				}
			}
		});
	}

	// ---- login

	@Override
	public @Nullable String userId() {
		return this.userId;
	}

	@Override
	public DdpLogin loginWithToken(String token) {
		Objects.requireNonNull(token, "'token' must not be null");
		return login(Map.of("resume", token));
	}

	@Override
	public DdpLogin loginWithPassword(String user, String password) {
		Objects.requireNonNull(user, "'user' must not be null");
		Objects.requireNonNull(password, "'password' must not be null");
		return login(passwordRequest(user, password));
	}

	@Override
	public void logout() {
		invokeBlocking("logout", List.of(), CallOptions.defaults().withWait(true), this.objectType);
		synchronized (this.lock) {
			this.userId = null;
			this.resumeToken = null;
		}
	}

	private DdpLogin login(Map<String, Object> request) {
		Object result = invokeBlocking("login", List.of(request), CallOptions.defaults().withWait(true),
				this.objectType);
		DdpLogin login = toLogin(result);
		synchronized (this.lock) {
			this.userId = login.userId();
			this.resumeToken = login.token();
		}
		return login;
	}

	private void loginInBackground(Map<String, Object> request, boolean resume) {
		MethodInvoker invoker = newInvoker("login", List.of(request), CallOptions.defaults().withWait(true),
				this.objectType, null, false);
		invoker.future.whenComplete((result, ex) -> {
			synchronized (this.lock) {
				if (ex == null) {
					try {
						DdpLogin login = toLogin(result);
						this.userId = login.userId();
						this.resumeToken = login.token();
						return;
					}
					catch (RuntimeException invalid) {
						ex = invalid;
					}
				}
				logger.warn("DDP connection '" + this.name + "' could not log in"
						+ (resume ? " with its resume token" : "") + ": " + ex.getMessage());
				if (resume) {
					// Meteor logs the client out when its token is refused
					this.userId = null;
					this.resumeToken = null;
				}
			}
		});
		submit(invoker);
	}

	static Map<String, Object> passwordRequest(String user, String password) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("user", Map.of(user.contains("@") ? "email" : "username", user));
		request.put("password", Map.of("digest", sha256Hex(password), "algorithm", "sha-256"));
		return request;
	}

	static String sha256Hex(String text) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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

	// ---- helpers

	static DdpException toException(JsonNode error) {
		if (!error.isObject()) {
			return new DdpException("unknown-error", "Malformed error object: " + error);
		}
		JsonNode code = error.get("error");
		Object errorCode;
		if (code == null || code.isNull()) {
			errorCode = "unknown-error";
		}
		else if (code.isNumber()) {
			errorCode = code.numberValue();
		}
		else {
			errorCode = code.isString() ? code.asString() : code.toString();
		}
		JsonNode reasonNode = error.get("reason");
		String reason = (reasonNode != null && reasonNode.isString()) ? reasonNode.asString() : null;
		JsonNode detailsNode = error.get("details");
		Object details = (detailsNode != null && !detailsNode.isNull()) ? PLAIN.treeToValue(detailsNode, Object.class)
				: null;
		return new DdpException(errorCode, reason, details);
	}

	private JavaType javaType(Class<?> type) {
		return this.ejson.mapper().getTypeFactory().constructType(type);
	}

	private JavaType javaType(ParameterizedTypeReference<?> type) {
		return this.ejson.mapper().getTypeFactory().constructType(type.getType());
	}

	private static List<@Nullable Object> asList(@Nullable Object @Nullable [] args) {
		return (args != null) ? Arrays.asList(args) : List.of();
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	@Override
	public String toString() {
		return "DdpConnection '" + this.name + "' to " + this.options.url() + " (" + this.status.state() + ")";
	}

	private record DeferredFrame(int generation, IncomingMessage message) {
	}

}
