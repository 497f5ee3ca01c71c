package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import org.jspecify.annotations.Nullable;

/**
 * Writes a standard (JSR-356) session's frames with its asynchronous remote, one write in
 * flight, each completion starting the next: no thread waits for a peer's TCP window.
 *
 * <p>
 * Tomcat hands every asynchronous write's completion to another thread, so each write
 * costs a thread hand-off besides the system call. A batch of small frames (a method's
 * {@code updated} and {@code result}, frames queued behind a write) is therefore copied
 * into Tomcat's batch buffer with batching on (no write, completed on the calling thread)
 * and leaves in one asynchronous flush ({@link TomcatAsyncFlush}), or in one write per
 * buffer-full: one write and one hand-off for many frames. A single frame, a batch with a
 * large frame, and every batch where that flush is unavailable are written message by
 * message.
 *
 * <p>
 * A write that completes inside the call lets the draining loop go on; one that completes
 * later continues the drain on the container's thread, so the stack never grows with the
 * queue.
 */
final class AsyncRemoteQueue extends OutboundQueue implements SendHandler {

	private static final int WRITING = 1;

	private static final int COMPLETED_INLINE = 2;

	private static final int PENDING = 3;

	private final RemoteEndpoint.Async remote;

	private final @Nullable TomcatAsyncFlush flush;

	private final AtomicInteger phase = new AtomicInteger();

	// The fields below are used by the drain's holder and by the completion of its write,
	// which the container orders after the write started.

	private List<String> batch = List.of();

	private int next;

	private boolean flushing;

	// Whether this queue turned the remote's batching on for the write in flight.
	private boolean batching;

	AsyncRemoteQueue(RemoteEndpoint.Async remote, long bufferLimit, long timeLimitNanos, Listener listener) {
		super(bufferLimit, timeLimitNanos, listener);
		this.remote = remote;
		this.flush = TomcatAsyncFlush.of(remote);
	}

	@Override
	void scheduleDrain() {
		drain();
	}

	@Override
	boolean write(List<String> batch) {
		this.batch = batch;
		this.next = 0;
		this.flushing = false;
		TomcatAsyncFlush flush = this.flush;
		boolean batched = flush != null && flush.worthBatching(batch);
		if (batched && !setBatching(true)) {
			return true;
		}
		return proceed();
	}

	// Only with nothing in flight. Turning batching on writes nothing; turning it off
	// after the batch's flush completed flushes an empty buffer, without waiting, and
	// leaves none of Tomcat's own control frames (a pong) held back in the buffer.
	private boolean setBatching(boolean batching) {
		try {
			this.remote.setBatchingAllowed(batching);
			this.batching = batching;
			return true;
		}
		catch (IOException | RuntimeException ex) {
			this.batching = false;
			written();
			abort(1011, "Send failed");
			return false;
		}
	}

	// Start the batch's next send; true when the whole batch completed before returning.
	private boolean proceed() {
		while (true) {
			this.phase.set(WRITING);
			TomcatAsyncFlush flush = this.flush;
			try {
				if (this.next < this.batch.size()) {
					this.remote.sendText(this.batch.get(this.next++), this);
				}
				else if (this.batching && !this.flushing && flush != null) {
					this.flushing = true;
					flush.flush(this);
				}
				else {
					if (!this.batching || setBatching(false)) {
						written();
					}
					return true;
				}
			}
			catch (RuntimeException ex) {
				// Closed under us: the container's close callback ends the session.
				written();
				abort(1011, "Send failed");
				return true;
			}
			if (this.phase.compareAndSet(WRITING, PENDING)) {
				return false;
			}
		}
	}

	@Override
	public void onResult(SendResult result) {
		if (!result.isOK()) {
			// The rest of the batch is dropped with the queue.
			this.next = this.batch.size();
			this.flushing = true;
			if (result.getException() instanceof SocketTimeoutException) {
				limitExceeded(SendLimit.TIME, queuedChars());
			}
			else {
				abort(1011, "Send failed");
			}
		}
		if (!this.phase.compareAndSet(WRITING, COMPLETED_INLINE) && proceed()) {
			drain();
		}
	}

}
