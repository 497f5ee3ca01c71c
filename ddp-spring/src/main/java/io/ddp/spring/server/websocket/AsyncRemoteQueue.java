package io.ddp.spring.server.websocket;

import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.jspecify.annotations.Nullable;

/**
 * Writes a standard (JSR-356) session's frames with its asynchronous remote, one write in
 * flight, each completion starting the next: no thread waits for a peer's TCP window.
 * Each DDP message is its own WebSocket frame and its own write: Tomcat can batch only
 * with a blocking flush ({@code flushBatch()}, also run by
 * {@code setBatchingAllowed(false)}), which would block the sender on a stalled peer.
 *
 * <p>
 * A write that completes inside {@code sendText} (the usual case: the socket took it)
 * lets the draining loop go on; one that completes later continues the drain on the
 * container's thread, so the stack never grows with the queue.
 */
final class AsyncRemoteQueue extends OutboundQueue implements SendHandler {

	private static final int WRITING = 1;

	private static final int COMPLETED_INLINE = 2;

	private static final int PENDING = 3;

	private final RemoteEndpoint.Async remote;

	private final AtomicInteger phase = new AtomicInteger();

	// Written by the drain's holder before each write; read by its completion.
	private @Nullable String inFlight;

	AsyncRemoteQueue(RemoteEndpoint.Async remote, long bufferLimit, long timeLimitNanos, Listener listener) {
		super(bufferLimit, timeLimitNanos, listener);
		this.remote = remote;
	}

	@Override
	void scheduleDrain() {
		drain();
	}

	@Override
	boolean write(String frame) {
		this.inFlight = frame;
		this.phase.set(WRITING);
		try {
			this.remote.sendText(frame, this);
		}
		catch (RuntimeException ex) {
			// Closed under us: the container's close callback ends the session.
			written(frame);
			abort(1011, "Send failed");
			return true;
		}
		return !this.phase.compareAndSet(WRITING, PENDING);
	}

	@Override
	public void onResult(SendResult result) {
		String frame = this.inFlight;
		if (frame != null) {
			written(frame);
		}
		if (!result.isOK()) {
			if (result.getException() instanceof SocketTimeoutException) {
				limitExceeded(SendLimit.TIME, queuedChars());
			}
			else {
				abort(1011, "Send failed");
			}
		}
		if (!this.phase.compareAndSet(WRITING, COMPLETED_INLINE)) {
			drain();
		}
	}

}
