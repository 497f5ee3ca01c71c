package io.ddp.spring.client;

import java.net.URI;
import java.util.List;
import java.util.Objects;

import io.ddp.spring.protocol.DdpException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

/**
 * The state machine of a {@link DefaultDdpConnection}'s link: connecting, connected,
 * lost, waiting for the next retry, failed, offline and closed, moved by the callers'
 * connect, reconnect, disconnect and close, by the transport opening and closing, and by
 * the timers. It builds the parts that share the link's state and lock
 * ({@link LinkState}): the reset after each transport opens ({@link ConnectionReset}),
 * the incoming frames ({@link IncomingFrames}, whose handshake frames call the
 * transitions here), the callers' calls and subscriptions ({@link OutgoingRequests}) and
 * the retries of a lost link ({@link ReconnectLoop}). Logs under
 * {@link DefaultDdpConnection}'s name.
 *
 * <p>
 * Threads (see {@link DefaultDdpConnection}): callers connect, reconnect, disconnect and
 * close; the I/O thread reports the transport opened or closed and, through
 * {@link IncomingFrames}, the handshake's outcome; the timer thread runs the connect and
 * heartbeat timeouts and the retries. Every transition holds {@link LinkState#lock},
 * which also guards {@link #started}, the {@link ReconnectLoop} and the connect timeout;
 * {@link #options} (written under the lock) and {@link #status} are volatile for readers
 * without it.
 *
 * @since 0.1.0
 */
final class ConnectionLifecycle {

	private static final Log logger = LogFactory.getLog(DefaultDdpConnection.class);

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

	private final LinkState link;

	private final ReconnectLoop retries;

	private final IncomingFrames incoming;

	private final ConnectionReset reset;

	private final OutgoingRequests requests;

	// guarded by the link's lock
	private boolean started;

	private volatile DdpConnectionStatus status = new DdpConnectionStatus(ConnectionState.CONNECTING, false, 0, null,
			null);

	ConnectionLifecycle(DdpConnection owner, String name, DdpClientOptions options, ClientFrames frames,
			ClientTransports transports, CallbackRunner callbacks, FrameLog frameLog, ClientListeners listeners,
			MethodCalls calls, DataSync data, ClientLogin login, JavaType objectType) {
		this.name = name;
		this.options = options;
		this.frames = frames;
		this.transports = transports;
		this.callbacks = callbacks;
		this.frameLog = frameLog;
		this.listeners = listeners;
		this.calls = calls;
		this.data = data;
		this.link = new LinkState(new DdpHandshake(options.supportedVersions()));
		this.timers = new ConnectionTimers(name);
		this.retries = new ReconnectLoop(this, name, this.link, listeners, this.timers.executor());
		this.requests = new OutgoingRequests(name, this.link, frames, calls, data);
		// the parts only call back once the first transport opens
		this.incoming = new IncomingFrames(this, name, this.link, frames, this.timers, frameLog, listeners, calls,
				data);
		this.reset = new ConnectionReset(owner, this.link, this.incoming, this.requests, calls, data, login, listeners,
				objectType);
		this.timers.every50Millis(this.requests::expireCalls);
	}

	DdpClientOptions options() {
		return this.options;
	}

	/**
	 * Return the callers' side: method calls and subscriptions.
	 * @return the requests
	 */
	OutgoingRequests requests() {
		return this.requests;
	}

	void connect() {
		synchronized (this.link.lock) {
			if (this.link.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			if (!this.started) {
				this.started = true;
				openTransportLocked();
			}
		}
	}

	// ---- the state machine

	/** Open a new transport (a new generation); also after a refused version. */
	void openTransportLocked() {
		int gen = ++this.link.generation;
		this.link.transport = null;
		this.link.ddpConnected = false;
		this.link.state = ConnectionState.CONNECTING;
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
				ConnectionLifecycle.this.incoming.received(gen, text);
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
		synchronized (this.link.lock) {
			if (gen != this.link.generation || this.link.closed || this.link.state == ConnectionState.OFFLINE
					|| this.link.state == ConnectionState.FAILED) {
				opened.abort();
				return;
			}
			ClientTransport transport = this.frameLog.wrap(opened);
			this.link.transport = transport;
			this.retries.linkOpened();
			// connect goes first; everything else is resent by the reset on the callback
			// thread, which may run the application's reconnect hooks
			transport.send(this.link.handshake.connectFrame(this.frames, this.options.supportedVersions()));
			this.reset.startLocked(gen);
			publishStatusLocked();
		}
		this.callbacks.execute(() -> this.reset.run(gen));
	}

	private void transportClosed(int gen, int code, String reason) {
		synchronized (this.link.lock) {
			if (gen == this.link.generation) {
				this.retries.lostLocked(code, reason);
			}
		}
	}

	private void connectTimedOut(int gen) {
		synchronized (this.link.lock) {
			if (gen == this.link.generation && !this.link.ddpConnected
					&& this.link.state == ConnectionState.CONNECTING) {
				this.retries.lostLocked(1006,
						"Connect timeout: no DDP handshake within " + this.options.connectTimeout().toMillis() + " ms");
			}
		}
	}

	/** The link stayed silent past the heartbeat's timeout; on the timer thread. */
	void heartbeatTimedOut(int gen) {
		synchronized (this.link.lock) {
			if (gen == this.link.generation) {
				this.retries.lostLocked(1006, "DDP heartbeat timed out");
			}
		}
	}

	/** Drop the current transport (if any) and stop listening to it. */
	void dropTransportLocked(boolean graceful) {
		this.link.generation++;
		ClientTransport transport = this.link.transport;
		this.link.transport = null;
		if (transport != null) {
			if (graceful) {
				transport.close(1000, "");
			}
			else {
				transport.abort();
			}
		}
		this.link.ddpConnected = false;
		this.link.handshake.linkDropped();
		this.timers.stopHeartbeat();
		this.timers.cancelConnectTimeout();
		this.reset.linkDroppedLocked();
	}

	/** Give up: no more retries, every call fails, until {@link #reconnect()}. */
	void failPermanentlyLocked(String reason) {
		this.retries.cancel();
		this.link.state = ConnectionState.FAILED;
		this.link.reason = reason;
		publishStatusLocked();
		if (!this.link.closed) {
			logger.error("DDP connection '" + this.name + "' to " + this.options.url() + " failed for good: " + reason
					+ "; calls fail until reconnect() is called");
		}
		this.listeners.emit((listener) -> listener.failed(reason));
		this.calls.failAllLocked(new DdpException(this.link.closed ? "connection-closed" : "connection-failed",
				this.link.closed ? "DDP connection '" + this.name + "' was closed" : reason));
	}

	void reconnect() {
		synchronized (this.link.lock) {
			if (this.link.closed || this.link.state == ConnectionState.CONNECTED || this.link.transport != null) {
				return;
			}
			this.started = true;
			this.retries.cancel();
			// an attempt still opening is abandoned; manual retries do not count
			this.link.generation++;
			openTransportLocked();
		}
	}

	void reconnect(URI url) {
		Objects.requireNonNull(url, "'url' must not be null");
		DdpClientOptions moved = this.options.withUrl(url);
		ClientTransports.checkUrl(moved);
		synchronized (this.link.lock) {
			if (this.link.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			URI previous = this.options.url();
			this.options = moved;
			this.started = true;
			this.retries.cancel();
			boolean hadLink = this.link.transport != null;
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
		synchronized (this.link.lock) {
			if (this.link.closed) {
				return;
			}
			this.retries.cancel();
			dropTransportLocked(true);
			this.link.state = ConnectionState.OFFLINE;
			this.link.reason = null;
			publishStatusLocked();
		}
	}

	void close() {
		List<ClientSubscription> subs;
		synchronized (this.link.lock) {
			if (this.link.closed) {
				return;
			}
			this.link.closed = true;
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

	// ---- status

	DdpConnectionStatus status() {
		return this.status;
	}

	@Nullable String version() {
		synchronized (this.link.lock) {
			return this.link.handshake.version();
		}
	}

	@Nullable String sessionId() {
		synchronized (this.link.lock) {
			return this.link.handshake.sessionId();
		}
	}

	void publishStatusLocked() {
		DdpConnectionStatus next = new DdpConnectionStatus(this.link.state, this.link.ddpConnected,
				this.retries.retryCount(),
				(this.link.state == ConnectionState.WAITING) ? this.retries.retryTime() : null, this.link.reason);
		if (!next.equals(this.status)) {
			this.status = next;
			this.listeners.emit((listener) -> listener.statusChanged(next));
		}
	}

}
