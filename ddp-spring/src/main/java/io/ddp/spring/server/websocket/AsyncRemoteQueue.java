package io.ddp.spring.server.websocket;

import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import io.ddp.spring.server.session.SessionBacklog;
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
 * costs a thread hand-off besides the system call, unless its worker pool runs the
 * completion of a write that finished at once on the writing thread
 * ({@link TomcatWriteCompletions}, installed by the Spring Boot auto-configuration).
 * Frames that fit in Tomcat's batch buffer together (a method's {@code updated} and
 * {@code result}, frames queued behind a write) are therefore copied into it with
 * batching on (no write, completed on the calling thread) and leave in one asynchronous
 * flush ({@link TomcatAsyncFlush}): one write and one hand-off per buffer-full. Batching
 * is off again before that flush starts, so a close Tomcat starts on its own meanwhile
 * waits for the flush like for any message, and its close frame follows
 * ({@link TomcatAsyncFlush} says what went wrong otherwise). A frame too large to share
 * the buffer, and every frame where that flush is unavailable, is written as its own
 * message.
 *
 * <p>
 * A write that completes inside the call lets the draining loop go on; one that completes
 * later continues the drain on the container's thread, so the stack never grows with the
 * queue.
 *
 * <p>
 * A write Tomcat ends with an {@link EOFException} was cut short by Tomcat closing the
 * endpoint itself: a frame it could not read (1007 for one that is not UTF-8) first fails
 * the write in flight that way, then sends its own close frame. The queue then only drops
 * what it is given: closing with 1011 from here could take the session's close from
 * Tomcat, whose socket then ends without any close frame.
 *
 * <p>
 * On Tomcat, writes are started while holding the socket's lock, which Tomcat holds while
 * it processes what the socket received ({@link TomcatSocketLock}). Tomcat counts a write
 * as in flight from before its socket write until its completion; a close for bad input
 * fails such a write and writes its close frame header into the buffer that write still
 * uses. A client that answers the instant it has a frame (a pong, and then a frame that
 * is not UTF-8) could have its frame read while the sending thread was still inside the
 * socket write, and the close frame then left without its header. With the lock held,
 * Tomcat reads the frame only once the write call returned, when a write the socket took
 * at once is no longer in flight. A write that has to wait for the peer is still exposed
 * (inside Tomcat 11.0.27; README, "What is not there yet"). A sender that finds the lock
 * taken does not wait for it: the write goes on on Tomcat's pool.
 */
final class AsyncRemoteQueue extends OutboundQueue implements SendHandler {

	private static final int WRITING = 1;

	private static final int COMPLETED_INLINE = 2;

	private static final int PENDING = 3;

	// Through an int field, not an AtomicInteger: one cold object less per write in a
	// fan-out.
	private static final VarHandle PHASE;

	static {
		try {
			PHASE = MethodHandles.lookup().findVarHandle(AsyncRemoteQueue.class, "phase", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final RemoteEndpoint.Async remote;

	private final @Nullable TomcatAsyncFlush flush;

	private final @Nullable TomcatSocketLock socketLock;

	private volatile int phase;

	// The fields below are used by the drain's holder and by the completion of its write,
	// which the container orders after the write started.

	private List<String> batch = List.of();

	private int next;

	// The end of the frames being copied into the batch buffer, while batching.
	private int chunkEnd;

	// Whether this queue turned the remote's batching on and has not flushed yet.
	private boolean batching;

	// Whether Tomcat ended a write by closing the endpoint: nothing more is written.
	private boolean closedByContainer;

	AsyncRemoteQueue(RemoteEndpoint.Async remote, long bufferLimit, long timeLimitNanos, Listener listener) {
		super(bufferLimit, timeLimitNanos, listener);
		this.remote = remote;
		this.flush = TomcatAsyncFlush.of(remote);
		this.socketLock = TomcatSocketLock.of(remote);
	}

	@Override
	void scheduleDrain() {
		drain();
	}

	@Override
	boolean write(List<String> batch) {
		this.batch = batch;
		this.next = (this.closedByContainer) ? batch.size() : 0;
		this.chunkEnd = 0;
		this.batching = false;
		return proceed();
	}

	// Start the batch's next send; true when the whole batch completed before returning.
	// On Tomcat, under the socket's lock (see the class comment).
	private boolean proceed() {
		TomcatSocketLock socketLock = this.socketLock;
		if (socketLock == null) {
			return startSends();
		}
		if (!socketLock.tryLock()) {
			// Tomcat is processing what the socket received: waiting here could wait for
			// a lock this thread holds, so the write continues on Tomcat's pool.
			try {
				socketLock.execute(() -> proceedLocked(socketLock));
				return false;
			}
			catch (RejectedExecutionException ex) {
				return startSends();
			}
		}
		try {
			return startSends();
		}
		finally {
			socketLock.unlock();
		}
	}

	// On Tomcat's pool, holding no lock of the application's: may wait for the socket.
	private void proceedLocked(TomcatSocketLock socketLock) {
		boolean completed;
		socketLock.lock();
		try {
			completed = startSends();
		}
		finally {
			socketLock.unlock();
		}
		if (completed) {
			drain();
		}
	}

	// Start sends until one is pending or the batch is done; the callers decide the lock.
	private boolean startSends() {
		while (true) {
			this.phase = WRITING;
			try {
				if (!startNext()) {
					written();
					return true;
				}
			}
			catch (RuntimeException ex) {
				// Closed under us: the container's close callback ends the session.
				written();
				abort(1011, "Send failed");
				return true;
			}
			if (PHASE.compareAndSet(this, WRITING, PENDING)) {
				return false;
			}
		}
	}

	// Start one send (a frame or the flush of those copied); false when none is left.
	private boolean startNext() {
		TomcatAsyncFlush flush = this.flush;
		if (this.batching && flush != null && this.next >= this.chunkEnd) {
			this.batching = false;
			TomcatWriteCompletions.Sender sender = armForInlineCompletion();
			try {
				flush.flush(this);
			}
			finally {
				disarm(sender);
			}
			return true;
		}
		if (this.next >= this.batch.size()) {
			return false;
		}
		// A last frame alone is sent as it is: counting whether it fits the batch buffer
		// (every char) would be spent on nothing.
		if (!this.batching && flush != null && this.next + 1 < this.batch.size()) {
			int fitting = flush.fitting(this.batch, this.next);
			if (fitting >= 2) {
				flush.startBatch();
				this.batching = true;
				this.chunkEnd = this.next + fitting;
			}
		}
		TomcatWriteCompletions.Sender sender = armForInlineCompletion();
		try {
			this.remote.sendText(this.batch.get(this.next++), this);
		}
		finally {
			disarm(sender);
		}
		return true;
	}

	// A write that completes inside the call may report it on this thread (when Tomcat's
	// pool asks TomcatWriteCompletions), unless the session has more replies coming: the
	// hand-off of the completion then gives them time to queue and share the next write.
	private TomcatWriteCompletions.@Nullable Sender armForInlineCompletion() {
		if (this.flush == null || !TomcatWriteCompletions.isPoolInstalled() || SessionBacklog.hasMore()) {
			return null;
		}
		return TomcatWriteCompletions.arm();
	}

	private static void disarm(TomcatWriteCompletions.@Nullable Sender sender) {
		if (sender != null) {
			sender.disarm();
		}
	}

	@Override
	public void onResult(SendResult result) {
		if (!result.isOK()) {
			// The rest of the batch is dropped with the queue, and nothing copied is
			// flushed: the session closes.
			this.next = this.batch.size();
			this.batching = false;
			if (result.getException() instanceof EOFException) {
				this.closedByContainer = true;
			}
			else if (result.getException() instanceof SocketTimeoutException) {
				limitExceeded(SendLimit.TIME, queuedChars());
			}
			else {
				abort(1011, "Send failed");
			}
		}
		if (!PHASE.compareAndSet(this, WRITING, COMPLETED_INLINE) && proceed()) {
			drain();
		}
	}

}
