package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The state of one connection's link that the parts of its life read of each other
 * ({@link ConnectionLifecycle}, {@link ReconnectLoop}, {@link ConnectionReset},
 * {@link IncomingFrames}, {@link OutgoingRequests}), and the one lock of the connection.
 *
 * <p>
 * Threads: {@link #lock} guards every field here and the protocol state of the
 * connection's collaborators ({@link MethodCalls}, {@link DataSync},
 * {@link DdpHandshake}, {@link ReconnectLoop}, the connect timeout of
 * {@link ConnectionTimers}); it is held only for bookkeeping, never while waiting. Who
 * writes what: the link itself ({@link #generation}, {@link #transport}, {@link #closed})
 * only the state machine ({@link ConnectionLifecycle}); {@link #state},
 * {@link #ddpConnected} and {@link #reason} the state machine, {@link IncomingFrames}
 * when the handshake completes and {@link ReconnectLoop} when a lost link waits for its
 * retry; the reset's fields {@link ConnectionReset} (also when the state machine drops
 * the link), and {@link IncomingFrames} adds the frames it holds back.
 * {@link #hookThread} is written without the lock (volatile) and read under it.
 *
 * @since 0.1.0
 */
final class LinkState {

	final Object lock = new Object();

	/** Bumped whenever the link is opened or dropped: events of older links are stale. */
	int generation;

	@Nullable ClientTransport transport;

	boolean closed;

	ConnectionState state = ConnectionState.CONNECTING;

	boolean ddpConnected;

	@Nullable String reason;

	final DdpHandshake handshake;

	// the reset after a transport opened: frames and other callers' calls wait for it

	boolean resetInProgress;

	int resetGeneration;

	final List<DeferredFrame> deferredFrames = new ArrayList<>();

	// the thread running the reconnect hooks, whose calls go out during the reset
	volatile @Nullable Thread hookThread;

	int hookGeneration;

	LinkState(DdpHandshake handshake) {
		this.handshake = handshake;
	}

	/** The transport new blocks of calls go out on: none while a reset holds them. */
	@Nullable ClientTransport idleTransportLocked() {
		return this.resetInProgress ? null : this.transport;
	}

	/** Write the method frames queued under the lock (see {@link MethodCalls}). */
	static void flush(@Nullable ClientTransport transport) {
		if (transport != null) {
			transport.flush();
		}
	}

	/**
	 * A frame that arrived while a reset ran, replayed when it ends.
	 *
	 * @param generation the link it arrived on
	 * @param message the frame
	 */
	record DeferredFrame(int generation, IncomingMessage message) {
	}

}
