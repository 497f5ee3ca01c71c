package io.ddp.spring.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DdpVersions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * The life of a {@link DefaultDdpConnection}'s link: the state machine (connecting,
 * connected, lost, waiting, failed, closed), the reset after each transport opens
 * (Meteor's {@code onReset}), the incoming frames, and the one lock that guards the
 * protocol state of the connection's collaborators. Threads are as described on
 * {@link DefaultDdpConnection}; logs under its name.
 *
 * @since 0.1.0
 */
final class ConnectionLifecycle {

	private static final Log logger = LogFactory.getLog(DefaultDdpConnection.class);

	private final DdpConnection owner;

	private final String name;

	// replaced by reconnect(URI); written under the lock
	private volatile DdpClientOptions options;

	private final ClientFrames frames;

	private final ClientTransports transports;

	private final CallbackRunner callbacks;

	private final ConnectionTimers timers;

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

	private @Nullable String reason;

	private final DdpHandshake handshake;

	// the reset after a transport opened: frames and other callers' calls wait for it
	private boolean resetInProgress;

	private int resetGeneration;

	private final List<DeferredFrame> deferredFrames = new ArrayList<>();

	private volatile @Nullable Thread hookThread;

	private int hookGeneration;

	private final JavaType objectType;

	private final ReconnectLoop retries;

	private volatile DdpConnectionStatus status = new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0, null,
			null);

	ConnectionLifecycle(DdpConnection owner, String name, DdpClientOptions options, ClientFrames frames,
			ClientTransports transports, CallbackRunner callbacks, FrameLog frameLog, ClientListeners listeners,
			MethodCalls calls, DataSync data, ClientLogin login, JavaType objectType) {
		this.owner = owner;
		this.name = name;
		this.options = options;
		this.frames = frames;
		this.transports = transports;
		this.callbacks = callbacks;
		this.frameLog = frameLog;
		this.listeners = listeners;
		this.calls = calls;
		this.data = data;
		this.login = login;
		this.objectType = objectType;
		this.handshake = new DdpHandshake(options.supportedVersions());
		this.timers = new ConnectionTimers(name);
		this.retries = new ReconnectLoop(this.timers.executor());
		this.timers.every50Millis(this::expireCalls);
	}

	DdpClientOptions options() {
		return this.options;
	}

	void connect() {
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
		this.retries.cancel();
		publishStatusLocked();
		this.timers.startConnectTimeout(this.options.connectTimeout(), () -> connectTimedOut(gen));
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
			this.timers.execute(() -> transportClosed(gen, 1006, "Cannot connect: " + ex));
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
			this.retries.linkOpened();
			// connect goes first; everything else is resent by the reset on the callback
			// thread, which may run the application's reconnect hooks
			transport.send(this.handshake.connectFrame(this.frames, this.options.supportedVersions()));
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
			this.listeners.runReconnectHooks(this.owner);
		}
		finally {
			this.hookThread = null;
		}
		ClientTransport flushOn;
		synchronized (this.lock) {
			flushOn = this.transport;
			ClientTransport live = (gen == this.generation) ? this.transport : null;
			this.calls.restoreLocked(old, live);
			if (this.resetGeneration != gen || !this.resetInProgress) {
				flush(flushOn);
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
		flush(flushOn);
	}

	/** Write the method frames queued under the lock (see {@link MethodCalls}). */
	private static void flush(@Nullable ClientTransport transport) {
		if (transport != null) {
			transport.flush();
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
		this.handshake.linkDropped();
		this.timers.stopHeartbeat();
		this.timers.cancelConnectTimeout();
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
		String giveUp = this.retries.giveUpReason(policy, reason);
		if (giveUp != null) {
			failPermanentlyLocked(giveUp);
			return;
		}
		int gen = this.generation;
		Duration delay = this.retries.schedule(policy, () -> retryFromTimer(gen));
		this.state = ConnectionState.WAITING;
		publishStatusLocked();
		int attempts = this.retries.retryCount();
		logger.warn("DDP connection '" + this.name + "' to " + this.options.url()
				+ (wasConnected ? " lost: " : " could not connect: ") + reason + "; retrying in "
				+ String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0)
				+ ((attempts > 0) ? " (attempt " + (attempts + 1) + ")" : ""));
	}

	private void retryFromTimer(int gen) {
		synchronized (this.lock) {
			if (gen == this.generation && this.state == ConnectionState.WAITING) {
				this.retries.attemptStarted();
				openTransportLocked();
			}
		}
	}

	private void failPermanentlyLocked(String reason) {
		this.retries.cancel();
		this.state = ConnectionState.FAILED;
		this.reason = reason;
		publishStatusLocked();
		if (!this.closed) {
			logger.error("DDP connection '" + this.name + "' to " + this.options.url() + " failed for good: " + reason
					+ "; calls fail until reconnect() is called");
		}
		this.listeners.emit((listener) -> listener.failed(reason));
		this.calls.failAllLocked(new DdpException(this.closed ? "connection-closed" : "connection-failed",
				this.closed ? "DDP connection '" + this.name + "' was closed" : reason));
	}

	void reconnect() {
		synchronized (this.lock) {
			if (this.closed || this.state == ConnectionState.CONNECTED || this.transport != null) {
				return;
			}
			this.started = true;
			this.retries.cancel();
			// an attempt still opening is abandoned; manual retries do not count
			this.generation++;
			openTransportLocked();
		}
	}

	void reconnect(URI url) {
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
			this.retries.cancel();
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

	void disconnect() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.retries.cancel();
			dropTransportLocked(true);
			this.state = ConnectionState.OFFLINE;
			this.reason = null;
			publishStatusLocked();
		}
	}

	void close() {
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
		this.timers.shutdown();
		this.callbacks.shutdown(2000);
		this.transports.shutdown();
	}

	// ---- incoming frames

	private void received(int gen, String text) {
		this.frameLog.received(text);
		this.timers.messageReceived();
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
		ClientTransport flushOn;
		synchronized (this.lock) {
			if (gen != this.generation) {
				return;
			}
			flushOn = this.transport;
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
		flush(flushOn);
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
		this.timers.cancelConnectTimeout();
		String session = message.session;
		DdpHandshake.Connected connected = this.handshake.connected(session);
		String version = connected.version();
		boolean reconnect = connected.reconnect();
		boolean reset = connected.reset();
		this.ddpConnected = true;
		this.state = ConnectionState.CONNECTED;
		this.reason = null;
		int gen = this.generation;
		if (DdpVersions.hasHeartbeat(version) && this.options.heartbeatInterval().toMillis() > 0) {
			this.timers.startHeartbeat(this.options.heartbeatInterval(), this.options.heartbeatTimeout(),
					() -> sendPing(gen), () -> heartbeatTimedOut(gen));
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
		String retryWith = this.handshake.versionRefused(serverVersion, this.options.supportedVersions());
		if (retryWith != null) {
			logger.info("DDP connection '" + this.name + "': the server speaks DDP version " + retryWith
					+ ", reconnecting with it");
			openTransportLocked();
			return;
		}
		this.listeners.emit((listener) -> listener.versionMismatch(String.valueOf(serverVersion)));
		failPermanentlyLocked("DDP version negotiation failed; server requested version " + serverVersion);
	}

	int subscriptionCount() {
		synchronized (this.lock) {
			return this.data.subscriptionsLocked().size();
		}
	}

	void submit(MethodInvoker invoker) {
		DdpException refused = null;
		ClientTransport flushOn;
		synchronized (this.lock) {
			flushOn = this.transport;
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
		flush(flushOn);
		if (refused != null) {
			MethodCalls.refuse(invoker, refused);
		}
	}

	private void expireCalls() {
		if (!this.calls.isEmpty()) {
			long now = System.nanoTime();
			ClientTransport flushOn;
			synchronized (this.lock) {
				flushOn = idleTransportLocked();
				this.calls.expireLocked(now, flushOn);
			}
			flush(flushOn);
		}
	}

	/**
	 * Register a subscription, sending its {@code sub} at once when the link is up (else
	 * the next reset sends it).
	 * @param subscription the subscription
	 * @throws IllegalStateException if the connection is closed
	 */
	void addSubscription(ClientSubscription subscription) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			this.data.addLocked(subscription);
			if (this.transport != null && !this.resetInProgress) {
				this.transport.send(subscription.frame);
			}
		}
	}

	/**
	 * Forget a subscription, sending {@code unsub} when the link is up.
	 * @param subscription the subscription
	 */
	void removeSubscription(ClientSubscription subscription) {
		synchronized (this.lock) {
			if (this.data.removeLocked(subscription.id()) && this.transport != null && !this.resetInProgress) {
				this.transport.send(this.frames.unsub(subscription.id()));
			}
		}
	}

	// ---- status and listeners

	DdpConnectionStatus status() {
		return this.status;
	}

	@Nullable String version() {
		synchronized (this.lock) {
			return this.handshake.version();
		}
	}

	@Nullable String sessionId() {
		synchronized (this.lock) {
			return this.handshake.sessionId();
		}
	}

	private void publishStatusLocked() {
		DdpConnectionStatus next = new DdpConnectionStatus(this.state, this.ddpConnected, this.retries.retryCount(),
				(this.state == ConnectionState.WAITING) ? this.retries.retryTime() : null, this.reason);
		if (!next.equals(this.status)) {
			this.status = next;
			this.listeners.emit((listener) -> listener.statusChanged(next));
		}
	}

	private void loginInBackground(ClientLogin.Request request) {
		MethodInvoker invoker = this.calls.create("login", List.of(request.params()),
				CallOptions.defaults().withWait(true), this.objectType, null, false);
		invoker.future.whenComplete((result, ex) -> this.login.reconnectLoginFinished(request, result, ex));
		submit(invoker);
	}

	private record DeferredFrame(int generation, IncomingMessage message) {
	}

}
