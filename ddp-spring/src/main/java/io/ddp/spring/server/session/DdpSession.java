package io.ddp.spring.server.session;

import java.io.EOFException;
import java.security.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.DdpVersions;
import io.ddp.spring.protocol.Heartbeat;
import io.ddp.spring.protocol.JsTruthiness;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.DdpServerObserver.RejectedInput;
import io.ddp.spring.server.method.MethodCallContext;
import io.ddp.spring.server.publication.DdpPublicationHandler;
import io.ddp.spring.server.publication.SessionSubscriptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One DDP session over one transport: the handshake, then every message in order through
 * the session's queue.
 *
 * <p>
 * Thread model: {@link #receive(String)} and {@link #transportClosed()} are called by the
 * transport on its socket thread. {@code connect}, {@code ping} and {@code pong} are
 * answered right there, so a busy queue never delays a pong; every other message is
 * handled on the application task executor through {@link SessionQueue}. Sends go to the
 * thread-safe transport from any of these threads.
 *
 * @since 0.1.0
 */
public final class DdpSession implements ClientConnection, MethodCallContext {

	private static final Log logger = LogFactory.getLog(DdpSession.class);

	// One fixed logger for the frames of every session: Logback never frees a logger, so
	// a logger per session would leak; each line starts with the session id instead.
	private static final Log frameLogger = LogFactory.getLog("io.ddp.spring.server.frames");

	private enum State {

		AWAITING_CONNECT, CONNECTED, CLOSED

	}

	private final DdpServer server;

	private final DdpTransport transport;

	private final DdpFrames frames;

	private final DdpServerObserver observer;

	private final SessionQueue<Object> queue;

	private final SessionRequests requests;

	private final SessionSubscriptions subscriptions;

	private final Map<String, String> httpHeaders;

	private final Map<String, Object> attributes = new ConcurrentHashMap<>();

	private final @Nullable String clientAddress;

	private final List<Runnable> closeCallbacks = new ArrayList<>(0);

	private volatile State state = State.AWAITING_CONNECT;

	private volatile @Nullable String id;

	private volatile @Nullable String version;

	private volatile @Nullable String userId;

	private volatile @Nullable Instant connectedAt;

	private volatile @Nullable String closeReason;

	private final AtomicBoolean documentLimitLogged = new AtomicBoolean();

	private @Nullable Heartbeat heartbeat;

	private @Nullable ScheduledFuture<?> connectTimeout;

	DdpSession(DdpServer server, DdpTransport transport) {
		this.server = server;
		this.transport = transport;
		this.frames = server.frames();
		this.observer = server.observer();
		this.queue = new SessionQueue<>(server.executor(), this::process);
		this.subscriptions = new SessionSubscriptions(server.publications(), server.ejson(), this.frames, this::send,
				this, server.dispatcher()::sanitize, server.strategies());
		this.subscriptions.setMaxDocuments(server.inputLimits().maxDocumentsPerSession(), this::documentLimitReached);
		this.subscriptions.setRateLimiter(server.dispatcher().rateLimiter());
		this.requests = new SessionRequests(this, server, this.subscriptions);
		this.httpHeaders = ClientOrigin.exposedHeaders(transport.handshakeHeaders());
		this.clientAddress = ClientOrigin.clientAddress(transport.remoteAddress(), this.httpHeaders,
				server.options().forwardedCount());
		long connectMillis = server.options().connectTimeout().toMillis();
		if (connectMillis > 0) {
			this.connectTimeout = server.timer().schedule(this::connectTimedOut, connectMillis, TimeUnit.MILLISECONDS);
		}
	}

	// ---- inbound, on the socket thread

	/**
	 * Handle one inbound DDP message. Called by the transport, one message at a time.
	 * @param text the message text
	 */
	public void receive(String text) {
		if (this.state == State.CLOSED) {
			return;
		}
		try {
			handle(text);
		}
		catch (RuntimeException ex) {
			// Client input must never close the socket with 1011: answer as for bad JSON.
			if (logger.isDebugEnabled()) {
				logger.debug("DDP session " + logId() + " could not handle a message; answering Bad request", ex);
			}
			reject(RejectedInput.BAD_REQUEST, "Bad request", null);
		}
	}

	private void handle(String text) {
		if (frameLogger.isTraceEnabled()) {
			frameLogger.trace(logId() + " in " + text);
		}
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.messageReceived();
		}
		JsonNode message;
		try {
			message = this.frames.ejsonMapper().readTree(text);
		}
		catch (RuntimeException ex) {
			// Meteor swallows the JSON error: "Bad request" without offendingMessage.
			this.observer.messageReceived(this.transport.name(), "");
			reject(RejectedInput.BAD_REQUEST, "Bad request", null);
			return;
		}
		if (message == null || !(message.isObject() || message.isArray())) {
			this.observer.messageReceived(this.transport.name(), "");
			reject(RejectedInput.BAD_REQUEST, "Bad request", null);
			return;
		}
		JsonNode msg = message.get("msg");
		String type = (msg != null && msg.isString()) ? msg.asString() : "";
		this.observer.messageReceived(this.transport.name(), type);
		if (!InboundChecks.ejsonDecodes(message, this.server.ejson())) {
			reject(RejectedInput.PARSE_ERROR, "Parse error", null);
			return;
		}
		if (!JsTruthiness.isTruthy(msg)) {
			reject(RejectedInput.BAD_REQUEST, "Bad request", message);
			return;
		}
		if ("connect".equals(type)) {
			if (this.state == State.CONNECTED) {
				reject(RejectedInput.ALREADY_CONNECTED, "Already connected", message);
			}
			else {
				connect(message);
			}
			return;
		}
		if (this.state != State.CONNECTED) {
			reject(RejectedInput.NOT_CONNECTED, "Must connect first", message);
			return;
		}
		if (DdpVersions.hasHeartbeat(this.version) && ("ping".equals(type) || "pong".equals(type))) {
			answerHeartbeat(type, message);
			return;
		}
		int maxQueued = this.server.inputLimits().maxQueuedMessagesPerSession();
		if (this.queue.size() >= maxQueued) {
			// A client that sends without waiting for answers; buffering it without bound
			// would cost every session memory.
			if (logger.isDebugEnabled()) {
				logger.debug("Closing DDP session " + logId() + ": " + maxQueued
						+ " messages wait in its queue (ddp.server.limits.max-queued-messages-per-session)");
			}
			this.observer.inputRejected(RejectedInput.QUEUE_FULL);
			this.observer.sendLimitExceeded(this, DdpServerObserver.SendLimit.QUEUE_FULL);
			close(1008, "Too many queued messages");
			return;
		}
		this.queue.add(message);
	}

	void reject(RejectedInput reason, String error, @Nullable JsonNode offending) {
		this.observer.inputRejected(reason);
		String frame;
		try {
			frame = this.frames.error(error, (offending != null) ? OffendingMessages.of(offending) : null);
		}
		catch (RuntimeException ex) {
			// Nested as deep as the parser allows, the echo is one level too deep to
			// write.
			logger.debug("DDP session " + logId() + " answers without offendingMessage: it cannot be written", ex);
			frame = this.frames.error(error, null);
		}
		send(frame);
	}

	private void answerHeartbeat(String type, JsonNode message) {
		JsonNode id = message.get("id");
		if (id != null && !id.isString()) {
			// Meteor's serializer refuses a truthy id that is no string, so it never
			// answers; neither do we, as an error frame would be news to a Meteor client.
			// A falsy one passes its check and comes back in the pong (null, false, 0).
			if (JsTruthiness.isTruthy(id)) {
				this.observer.inputRejected(RejectedInput.BAD_REQUEST);
			}
			else if ("ping".equals(type)) {
				String falsy = id.isBoolean() ? "false" : (id.isNumber() ? "0" : "null");
				send("{\"msg\":\"pong\",\"id\":" + falsy + "}");
			}
			return;
		}
		if ("ping".equals(type)) {
			send(this.frames.pong((id != null) ? id.asString() : null));
		}
	}

	private void connect(JsonNode message) {
		InboundChecks.Negotiation negotiation = InboundChecks.negotiate(message);
		String pick = negotiation.version();
		if (!negotiation.agreed()) {
			refuse(pick);
			return;
		}
		if (!this.server.isAccepting()) {
			// A socket opened before a graceful shutdown began: send it elsewhere.
			this.observer.inputRejected(RejectedInput.SHUTTING_DOWN);
			close(1001, "Server shutting down");
			return;
		}
		synchronized (this) {
			if (this.state != State.AWAITING_CONNECT) {
				return;
			}
			// Always a fresh id: echoing the client's old one would make it skip resync
			// (2.5).
			this.id = MeteorRandom.secure().id();
			this.version = pick;
			this.connectedAt = Instant.now();
			this.state = State.CONNECTED;
			if (this.connectTimeout != null) {
				this.connectTimeout.cancel(false);
				this.connectTimeout = null;
			}
		}
		// Registered before the client hears of it: a client that has its session id
		// finds
		// the session in the server's sessions (gauges, the ddp endpoint, closing by id)
		this.userId = this.server.handshakeUserId(this);
		this.server.connected(this);
		if (logger.isDebugEnabled()) {
			logger.debug("DDP session " + this.id + " opened: DDP " + pick + " over " + this.transport.name() + " from "
					+ this.clientAddress);
		}
		send(this.frames.connected(this.id));
		for (DdpPublicationHandler universal : this.server.publications().universal()) {
			startUniversal(universal);
		}
		if (DdpVersions.hasHeartbeat(pick)) {
			Heartbeat heartbeat = new Heartbeat(this.server.timer(), this.server.options().heartbeatInterval(),
					this.server.options().heartbeatTimeout(), () -> send(this.frames.ping(null)),
					this::heartbeatTimedOut);
			this.heartbeat = heartbeat;
			heartbeat.start();
		}
	}

	private void refuse(String version) {
		this.observer.inputRejected(RejectedInput.VERSION_MISMATCH);
		send(this.frames.failed(version));
		this.transport.close(1000, "DDP version negotiation failed");
	}

	// ---- the queue, on the executor

	/**
	 * Start a universal publication in this session, in order with its messages.
	 * @param handler the publication
	 */
	void startUniversal(DdpPublicationHandler handler) {
		this.queue.add((Runnable) () -> this.subscriptions.startUniversal(handler, this.userId));
	}

	private void process(Object item, SessionQueue<Object>.Turn turn) {
		if (this.state == State.CLOSED) {
			turn.finish();
			return;
		}
		if (item instanceof Runnable task) {
			task.run();
			turn.finish();
			return;
		}
		JsonNode message = (JsonNode) item;
		String type = message.get("msg").asString("");
		switch (type) {
			case "method" -> this.requests.method(message, turn);
			case "sub" -> this.requests.subscribe(message, turn);
			case "unsub" -> {
				this.requests.unsubscribe(message);
				turn.finish();
			}
			default -> {
				// An explicit switch: {"msg":"toString"} or "__proto__" is just unknown
				// (11.17).
				reject(RejectedInput.BAD_REQUEST, "Bad request", message);
				turn.finish();
			}
		}
	}

	// A subscription of this session was stopped at the document limit.
	private void documentLimitReached() {
		this.observer.subscriptionLimitExceeded(this, DdpServerObserver.SubscriptionLimit.DOCUMENTS);
		if (this.documentLimitLogged.compareAndSet(false, true) && logger.isInfoEnabled()) {
			logger.info("DDP session " + logId() + " from " + this.clientAddress
					+ ": a subscription was stopped with nosub 429, the merge box holds "
					+ this.server.inputLimits().maxDocumentsPerSession()
					+ " documents (ddp.server.limits.max-documents-per-session); publish fewer documents per client"
					+ " or raise the limit. Later stops of this session are only counted in"
					+ " ddp.server.subscriptions.stopped");
		}
	}

	// ---- outbound and lifecycle

	void send(String frame) {
		if (this.state != State.CLOSED) {
			if (frameLogger.isTraceEnabled()) {
				frameLogger.trace(logId() + " out " + frame);
			}
			this.observer.messageSent(this.transport.name(), frame);
			this.transport.send(frame);
		}
	}

	void send(String first, String second) {
		if (this.state != State.CLOSED) {
			if (frameLogger.isTraceEnabled()) {
				frameLogger.trace(logId() + " out " + first);
				frameLogger.trace(logId() + " out " + second);
			}
			this.observer.messageSent(this.transport.name(), first);
			this.observer.messageSent(this.transport.name(), second);
			this.transport.send(first, second);
		}
	}

	private void connectTimedOut() {
		if (this.state == State.AWAITING_CONNECT) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing a " + this.transport.name() + " socket from " + this.clientAddress
						+ " that sent no DDP connect within " + this.server.options().connectTimeout());
			}
			this.observer.inputRejected(RejectedInput.CONNECT_TIMEOUT);
			this.transport.close(1000, "No DDP connect received");
			transportClosed();
		}
	}

	private void heartbeatTimedOut() {
		if (this.closeReason == null) {
			this.closeReason = "closed by the server: heartbeat timed out (no message from the client within "
					+ this.server.options().heartbeatTimeout() + " of a ping)";
		}
		this.observer.heartbeatTimedOut(this);
		close();
	}

	/**
	 * Called by the transport once its socket closed, with the close status it saw.
	 * @param code the WebSocket close code
	 * @param reason the close reason, if any
	 */
	public void transportClosed(int code, @Nullable String reason) {
		if (this.closeReason == null) {
			boolean hasReason = reason != null && !reason.isEmpty();
			this.closeReason = "socket closed (" + code + (hasReason ? " " + reason : "") + ")";
		}
		transportClosed();
	}

	/**
	 * Called by the transport when its socket failed (the peer reset the connection, a
	 * read failed) and before it closes the socket, so that the close is logged with the
	 * failure rather than with the status the server then had to pick.
	 * @param failure what the container reported
	 */
	public void transportFailed(Throwable failure) {
		if (this.closeReason != null) {
			return;
		}
		if (failure instanceof EOFException) {
			// The client's process or network went away mid-session
			this.closeReason = "socket ended without a close frame";
			return;
		}
		String message = failure.getMessage();
		boolean hasMessage = message != null && !message.isEmpty();
		this.closeReason = "socket failed (" + failure.getClass().getSimpleName() + (hasMessage ? ": " + message : "")
				+ ")";
	}

	/**
	 * Called by the transport once its socket closed.
	 */
	public void transportClosed() {
		List<Runnable> callbacks;
		synchronized (this) {
			if (this.state == State.CLOSED) {
				return;
			}
			boolean wasConnected = (this.state == State.CONNECTED);
			this.state = State.CLOSED;
			if (this.connectTimeout != null) {
				this.connectTimeout.cancel(false);
				this.connectTimeout = null;
			}
			if (this.heartbeat != null) {
				this.heartbeat.stop();
			}
			callbacks = wasConnected ? new ArrayList<>(this.closeCallbacks) : List.of();
			this.closeCallbacks.clear();
		}
		if (this.connectedAt != null && logger.isDebugEnabled()) {
			String reason = this.closeReason;
			logger.debug("DDP session " + this.id + " over " + this.transport.name() + " from " + this.clientAddress
					+ " closed: " + ((reason != null) ? reason : "socket closed"));
		}
		this.server.closed(this);
		this.queue.clear();
		this.subscriptions.close();
		for (Runnable callback : callbacks) {
			runCallback(callback);
		}
	}

	private void runCallback(Runnable callback) {
		try {
			this.server.executor().execute(() -> {
				try {
					callback.run();
				}
				catch (RuntimeException ex) {
					logger.error("An onClose callback of DDP session " + this.id + " failed", ex);
				}
			});
		}
		catch (RuntimeException ex) {
			logger.debug("onClose callbacks of DDP session " + this.id + " not run: the executor is shutting down", ex);
		}
	}

	// ---- ClientConnection and MethodCallContext

	@Override
	public String id() {
		String id = this.id;
		return (id != null) ? id : "";
	}

	/**
	 * Return the negotiated DDP version.
	 * @return the version, {@code null} before the handshake
	 */
	public @Nullable String version() {
		return this.version;
	}

	@Override
	public @Nullable String clientAddress() {
		return this.clientAddress;
	}

	@Override
	public Map<String, String> httpHeaders() {
		return this.httpHeaders;
	}

	@Override
	public @Nullable Principal principal() {
		return this.transport.principal();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public String transport() {
		return this.transport.name();
	}

	@Override
	public Instant connectedAt() {
		Instant at = this.connectedAt;
		return (at != null) ? at : Instant.EPOCH;
	}

	@Override
	public @Nullable String userId() {
		return this.userId;
	}

	@Override
	public void setUserId(@Nullable String userId) {
		this.userId = userId;
		// Every subscription reruns for the new user; the client gets only the difference
		// (4.9).
		this.subscriptions.userChanged(userId);
	}

	@Override
	public ClientConnection connection() {
		return this;
	}

	@Override
	public boolean isOpen() {
		return this.state != State.CLOSED;
	}

	@Override
	public void onClose(Runnable callback) {
		synchronized (this) {
			if (this.state != State.CLOSED) {
				this.closeCallbacks.add(callback);
				return;
			}
		}
		runCallback(callback);
	}

	@Override
	public void close() {
		close(1000, "Normal closure");
	}

	/**
	 * Close the socket with the given code, e.g. 1001 (going away) on shutdown.
	 * @param code the WebSocket close code
	 * @param reason the close reason
	 */
	public void close(int code, String reason) {
		if (this.closeReason == null) {
			this.closeReason = "closed by the server (" + code + " " + reason + ")";
		}
		this.transport.close(code, reason);
		transportClosed();
	}

	/**
	 * Return the active named subscriptions.
	 * @return publication names by subscription id
	 */
	public Map<String, String> subscriptions() {
		return this.subscriptions.subscriptionNames();
	}

	/**
	 * Return the number of documents this session's merge box holds for its client.
	 * @return the count over all collections
	 */
	public int mergeBoxDocumentCount() {
		return this.subscriptions.documentCount();
	}

	int queuedMessages() {
		return this.queue.size();
	}

	@Override
	public String toString() {
		return "DdpSession[id=" + this.id + ", transport=" + this.transport.name() + ", state=" + this.state + "]";
	}

	// ---- helpers

	String logId() {
		String id = this.id;
		return (id != null) ? id : "-";
	}

}
