package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * The frames waiting for one socket, written by whichever thread holds the drain: a
 * thread that sends never waits for the peer. One write is in progress at a time, and it
 * carries every frame queued when it started (one WebSocket message each), so frames that
 * queue behind a slow write leave together. A sender that finds the queue idle (nothing
 * queued, no write in progress) writes its frames itself, on its own thread, without
 * queueing them. Subclasses say how a batch is written, inline or asynchronously.
 *
 * <p>
 * Two limits bound what a peer that reads slowly can cost: the characters queued and
 * being written ({@code bufferLimit}; a frame alone in the queue passes whatever its
 * size), and the time one write may take ({@code timeLimitNanos}), checked whenever a
 * frame is queued and by {@link #checkWriteTime}. Past either, the queue drops its
 * frames, accepts no more, and reports the breach once.
 */
abstract class OutboundQueue {

	/**
	 * What the queue tells its owner.
	 */
	interface Listener {

		/**
		 * A limit was passed; the queue is dropped and the socket must be closed.
		 * @param limit the limit
		 * @param queued the characters queued at that moment
		 */
		void limitExceeded(SendLimit limit, long queued);

		/**
		 * Every queued frame was written after a close was requested, or the queue was
		 * aborted: close the socket now.
		 * @param code the close code
		 * @param reason the close reason
		 * @param aborted whether the queue was aborted (a write may still be in progress,
		 * so the close frame may wait for a stalled peer)
		 */
		void closeSocket(int code, String reason, boolean aborted);

	}

	/**
	 * The limits a slow peer can pass.
	 */
	enum SendLimit {

		BUFFER, TIME

	}

	// Two fields updated through VarHandles, not Atomic* objects: a fan-out touches
	// every session's queue once, and each object is one more cold cache line.

	private static final VarHandle QUEUED_CHARS;

	private static final VarHandle DRAINING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			QUEUED_CHARS = lookup.findVarHandle(OutboundQueue.class, "queuedChars", long.class);
			DRAINING = lookup.findVarHandle(OutboundQueue.class, "draining", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Frames in one write at most: bounds the batch list and a write's latency.
	private static final int MAX_BATCH = 64;

	private final ConcurrentLinkedQueue<String> frames = new ConcurrentLinkedQueue<>();

	// Used by the drain's holder only; not touched again until the write completed.
	private final List<String> batch = new ArrayList<>();

	private volatile long batchChars;

	private volatile long queuedChars;

	private volatile boolean draining;

	private final AtomicBoolean socketClosing = new AtomicBoolean();

	private final AtomicBoolean limitReported = new AtomicBoolean();

	private final long bufferLimit;

	private final long timeLimitNanos;

	private final Listener listener;

	// System.nanoTime() when the write in progress started, 0 when none is.
	private volatile long writeStartedAt;

	private volatile boolean accepting = true;

	private volatile boolean aborted;

	private volatile int closeCode;

	private volatile @Nullable String closeReason;

	OutboundQueue(long bufferLimit, long timeLimitNanos, Listener listener) {
		this.bufferLimit = bufferLimit;
		this.timeLimitNanos = timeLimitNanos;
		this.listener = listener;
	}

	final void send(String frame) {
		if (takeDrainIfIdle()) {
			if (!this.frames.isEmpty()) {
				queueAndDrain(frame, null);
			}
			else if (admit(frame)) {
				writeAlone(List.of(frame), frame.length());
			}
			else {
				drain();
			}
			return;
		}
		if (offer(frame)) {
			startDrain();
		}
	}

	final void send(String first, String second) {
		if (takeDrainIfIdle()) {
			if (!this.frames.isEmpty()) {
				queueAndDrain(first, second);
			}
			else if (admit(first) && admit(second)) {
				writeAlone(List.of(first, second), first.length() + second.length());
			}
			else {
				drain();
			}
			return;
		}
		if (offer(first) && offer(second)) {
			startDrain();
		}
	}

	// The idle fast path: with nothing queued and no write in progress, the sender takes
	// the drain and, if the queue is still empty, writes its frames at once without
	// queueing them. A frame queued in between (by a thread that then found the drain
	// held) goes first: the holder queues its own behind it and drains.
	private boolean takeDrainIfIdle() {
		return writesOnSendingThread() && this.accepting && this.frames.isEmpty()
				&& DRAINING.compareAndSet(this, false, true);
	}

	// Called by the drain's holder; leaves the drain as drain() does.
	private void queueAndDrain(String first, @Nullable String second) {
		if (offer(first) && second != null) {
			offer(second);
		}
		drain();
	}

	// Called by the drain's holder with the frames admitted but not queued; leaves the
	// drain as drain() does.
	private void writeAlone(List<String> batch, long chars) {
		if (writeBatch(batch, chars)) {
			drain();
		}
	}

	/**
	 * Close the socket once the frames queued so far are written.
	 * @param code the close code
	 * @param reason the close reason
	 */
	final void close(int code, String reason) {
		requestClose(code, reason);
		startDrain();
	}

	/**
	 * Drop the queued frames and close the socket now: the peer is gone or too slow.
	 * @param code the close code
	 * @param reason the close reason
	 */
	final void abort(int code, String reason) {
		this.aborted = true;
		requestClose(code, reason);
		this.frames.clear();
		closeSocketOnce();
	}

	final boolean isAccepting() {
		return this.accepting;
	}

	final long queuedChars() {
		return this.queuedChars;
	}

	private void requestClose(int code, String reason) {
		if (this.closeReason == null) {
			this.closeCode = code;
			this.closeReason = reason;
		}
		this.accepting = false;
	}

	private boolean offer(String frame) {
		if (!admit(frame)) {
			return false;
		}
		this.frames.add(frame);
		return true;
	}

	// Count a frame against the limits, before it is queued or written.
	private boolean admit(String frame) {
		if (!this.accepting) {
			return false;
		}
		long queued = (long) QUEUED_CHARS.getAndAdd(this, (long) frame.length()) + frame.length();
		SendLimit exceeded = null;
		// A frame alone in the queue is taken whatever its size: a reply is never
		// refused for being large, only a client for not reading.
		if (queued > this.bufferLimit && queued != frame.length()) {
			exceeded = SendLimit.BUFFER;
		}
		else if (writeOverdue(System.nanoTime())) {
			exceeded = SendLimit.TIME;
		}
		if (exceeded != null) {
			limitExceeded(exceeded, queued);
			return false;
		}
		return true;
	}

	/**
	 * Report the time limit if the write in progress has outlasted it. A queued frame
	 * checks this too; calling it periodically ({@link SendTimeWatch}) also catches a
	 * peer that stopped reading when nothing more is sent to it, a graceful close
	 * included.
	 * @param now the current {@link System#nanoTime()}
	 */
	final void checkWriteTime(long now) {
		if (!this.aborted && writeOverdue(now)) {
			limitExceeded(SendLimit.TIME, this.queuedChars);
		}
	}

	private boolean writeOverdue(long now) {
		long startedAt = this.writeStartedAt;
		return startedAt != 0 && now - startedAt > this.timeLimitNanos;
	}

	/**
	 * Report a passed limit, once, and drop the queue.
	 * @param limit the limit
	 * @param queued the characters queued
	 */
	final void limitExceeded(SendLimit limit, long queued) {
		this.accepting = false;
		this.frames.clear();
		if (this.limitReported.compareAndSet(false, true)) {
			this.listener.limitExceeded(limit, queued);
		}
	}

	private void startDrain() {
		if (DRAINING.compareAndSet(this, false, true)) {
			scheduleDrain();
		}
	}

	/**
	 * Run {@link #drain()}, on this thread or another; called by the drain's holder.
	 */
	abstract void scheduleDrain();

	/**
	 * Return whether {@link #write} may run on a thread that sends a frame, as
	 * {@link #scheduleDrain()} runs the drain there: then a sender that finds the queue
	 * idle writes its frames itself, past the queue.
	 * @return {@code true} unless writes must run elsewhere
	 */
	boolean writesOnSendingThread() {
		return true;
	}

	/**
	 * Start writing a batch of frames, each its own WebSocket message, in order.
	 * @param batch the frames, not to be kept once the write completed
	 * @return {@code true} if the write completed (and {@link #written} was called)
	 * before returning, {@code false} if its completion will call {@link #written} and
	 * then {@link #drain()}
	 */
	abstract boolean write(List<String> batch);

	/**
	 * Write queued frames until the queue is empty or a write goes asynchronous. Only the
	 * drain's holder calls it.
	 */
	final void drain() {
		List<String> batch = this.batch;
		while (true) {
			batch.clear();
			long chars = 0;
			String frame;
			while (batch.size() < MAX_BATCH && (frame = this.frames.poll()) != null) {
				batch.add(frame);
				chars += frame.length();
			}
			if (batch.isEmpty()) {
				this.draining = false;
				// A frame queued after the poll, by a thread that found the drain held.
				if (!this.frames.isEmpty() && DRAINING.compareAndSet(this, false, true)) {
					continue;
				}
				if (this.closeReason != null) {
					closeSocketOnce();
				}
				return;
			}
			if (!writeBatch(batch, chars)) {
				return;
			}
		}
	}

	// True when the write completed before returning.
	private boolean writeBatch(List<String> batch, long chars) {
		this.batchChars = chars;
		long now = System.nanoTime();
		this.writeStartedAt = (now != 0) ? now : 1;
		return write(batch);
	}

	/**
	 * The write in progress completed, successfully or not.
	 */
	final void written() {
		this.writeStartedAt = 0;
		QUEUED_CHARS.getAndAdd(this, -this.batchChars);
		this.batchChars = 0;
	}

	private void closeSocketOnce() {
		String reason = this.closeReason;
		if (reason != null && this.socketClosing.compareAndSet(false, true)) {
			this.frames.clear();
			this.listener.closeSocket(this.closeCode, reason, this.aborted);
		}
	}

}
