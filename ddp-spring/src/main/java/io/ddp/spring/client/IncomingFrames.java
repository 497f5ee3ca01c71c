package io.ddp.spring.client;

import java.util.List;
import java.util.Objects;

import io.ddp.spring.protocol.DdpVersions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The frames one connection receives: each parsed once, then answered ({@code ping}),
 * held back while a reset runs (the reset replays them, see {@link ConnectionReset}) or
 * dispatched: the handshake's {@code connected} and {@code failed} drive the state
 * machine ({@link ConnectionLifecycle}), {@code result} goes to {@link MethodCalls}, the
 * data messages to {@link DataSync}. The heartbeat started on {@code connected} sends its
 * pings from here. Logs under {@link DefaultDdpConnection}'s name.
 *
 * <p>
 * Threads: {@link #received} runs on the I/O thread: it parses outside any lock, then
 * takes the link's lock ({@link LinkState#lock}) to dispatch, and wakes the blocked
 * callers whose calls the frame finished after releasing it. {@link #handleLocked} runs
 * holding that lock, on the I/O thread or, replaying held-back frames, on the callback
 * thread. {@link #sendPing} runs on the timer thread and takes the lock. No state of its
 * own: what it reads and changes is the {@link LinkState} and the collaborators that lock
 * guards.
 *
 * @since 0.1.0
 */
final class IncomingFrames {

	private static final Log logger = LogFactory.getLog(DefaultDdpConnection.class);

	private final ConnectionLifecycle lifecycle;

	private final String name;

	private final LinkState link;

	private final ClientFrames frames;

	private final ConnectionTimers timers;

	private final FrameLog frameLog;

	private final ClientListeners listeners;

	private final MethodCalls calls;

	private final DataSync data;

	IncomingFrames(ConnectionLifecycle lifecycle, String name, LinkState link, ClientFrames frames,
			ConnectionTimers timers, FrameLog frameLog, ClientListeners listeners, MethodCalls calls, DataSync data) {
		this.lifecycle = lifecycle;
		this.name = name;
		this.link = link;
		this.frames = frames;
		this.timers = timers;
		this.frameLog = frameLog;
		this.listeners = listeners;
		this.calls = calls;
		this.data = data;
	}

	/**
	 * A frame arrived on a link.
	 * @param gen the generation of the link it arrived on
	 * @param text the frame
	 */
	void received(int gen, String text) {
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
		List<MethodInvoker> finished = null;
		try {
			synchronized (this.link.lock) {
				if (gen != this.link.generation) {
					return;
				}
				flushOn = this.link.transport;
				if ("ping".equals(message.msg)) {
					if (this.link.transport != null) {
						this.link.transport.send(this.frames.pong(message.id));
					}
				}
				else if (this.link.resetInProgress) {
					this.link.deferredFrames.add(new LinkState.DeferredFrame(gen, message));
				}
				else {
					this.calls.frameStartedLocked();
					try {
						handleLocked(message);
					}
					finally {
						finished = this.calls.frameDispatchedLocked();
					}
				}
			}
		}
		finally {
			MethodCalls.wake(finished);
		}
		LinkState.flush(flushOn);
	}

	/**
	 * Dispatch a parsed frame; holding the link's lock.
	 * @param message the frame
	 */
	void handleLocked(IncomingMessage message) {
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
			case "result" -> this.calls.resultLocked(message, this.link.idleTransportLocked());
			case "added", "changed", "removed", "ready", "updated", "nosub" ->
				this.data.dataLocked(message, this.link.idleTransportLocked());
			case "pong" -> {
			}
			case "error" ->
				logger.warn("DDP server of connection '" + this.name + "' reported an error: " + message.reason);
			default -> logger.debug("DDP connection '" + this.name + "' ignored message '" + msg + "'");
		}
	}

	private void connectedLocked(IncomingMessage message) {
		DdpClientOptions options = this.lifecycle.options();
		this.timers.cancelConnectTimeout();
		String session = message.session;
		DdpHandshake.Connected connected = this.link.handshake.connected(session);
		String version = connected.version();
		boolean reconnect = connected.reconnect();
		boolean reset = connected.reset();
		this.link.ddpConnected = true;
		this.link.state = ConnectionState.CONNECTED;
		this.link.reason = null;
		int gen = this.link.generation;
		if (DdpVersions.hasHeartbeat(version) && options.heartbeatInterval().toMillis() > 0) {
			this.timers.startHeartbeat(options.heartbeatInterval(), options.heartbeatTimeout(), () -> sendPing(gen),
					() -> this.lifecycle.heartbeatTimedOut(gen));
		}
		this.data.connectedLocked(reset, this.link.idleTransportLocked());
		this.lifecycle.publishStatusLocked();
		logger.info("DDP connection '" + this.name + "' " + (reconnect ? "reconnected" : "connected") + " to "
				+ options.url() + " (session " + session + ", DDP version " + version
				+ ((reconnect && !reset) ? ", session resumed" : "") + ")");
		this.listeners
			.emit((listener) -> listener.connected(Objects.requireNonNullElse(session, ""), version, reconnect));
	}

	private void sendPing(int gen) {
		synchronized (this.link.lock) {
			if (gen == this.link.generation && this.link.transport != null) {
				this.link.transport.send(this.frames.ping(null));
			}
		}
	}

	private void versionRefusedLocked(IncomingMessage message) {
		String serverVersion = message.version;
		this.lifecycle.dropTransportLocked(false);
		String retryWith = this.link.handshake.versionRefused(serverVersion,
				this.lifecycle.options().supportedVersions());
		if (retryWith != null) {
			logger.info("DDP connection '" + this.name + "': the server speaks DDP version " + retryWith
					+ ", reconnecting with it");
			this.lifecycle.openTransportLocked();
			return;
		}
		this.listeners.emit((listener) -> listener.versionMismatch(String.valueOf(serverVersion)));
		this.lifecycle
			.failPermanentlyLocked("DDP version negotiation failed; server requested version " + serverVersion);
	}

}
