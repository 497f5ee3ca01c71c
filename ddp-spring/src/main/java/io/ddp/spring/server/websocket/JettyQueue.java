package io.ddp.spring.server.websocket;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.jspecify.annotations.Nullable;

/**
 * Writes a Jetty session's frames with Jetty's own non-blocking sends: each frame is
 * handed to Jetty with a callback on the calling thread, Jetty writes at once when its
 * socket is idle and otherwise writes the frames queued behind a write together, and the
 * callbacks complete on the calling thread when the socket took the bytes. One batch is
 * in flight at a time, so the queue's limits see what the peer has not taken. Through
 * Jetty's core session ({@link JettyCoreSends}) a batch leaves in one write.
 */
final class JettyQueue extends OutboundQueue {

	private static final int WRITING = 1;

	private static final int COMPLETED_INLINE = 2;

	private static final int PENDING = 3;

	private final Session session;

	private final AtomicInteger phase = new AtomicInteger();

	// Frames of the batch in flight that Jetty has not yet completed.
	private final AtomicInteger unwritten = new AtomicInteger();

	private final Callback callback = Callback.from(this::sent, this::failed);

	private final @Nullable JettyCoreSends core;

	JettyQueue(Session session, long bufferLimit, long timeLimitNanos, Listener listener) {
		super(bufferLimit, timeLimitNanos, listener);
		this.session = session;
		this.core = JettyCoreSends.of(session, this::sent, this::failed);
	}

	/**
	 * Return whether batches leave through Jetty's core session, in one write each.
	 * @return whether the core sends are used
	 */
	boolean usesCoreSends() {
		return this.core != null;
	}

	@Override
	void scheduleDrain() {
		drain();
	}

	@Override
	boolean write(List<String> batch) {
		int size = batch.size();
		this.unwritten.set(size);
		this.phase.set(WRITING);
		JettyCoreSends core = this.core;
		for (int i = 0; i < size; i++) {
			try {
				if (core != null) {
					core.sendText(Utf8Frames.of(batch.get(i)), i < size - 1);
				}
				else {
					this.session.sendText(batch.get(i), this.callback);
				}
			}
			catch (RuntimeException ex) {
				// Closed under us: the rest of the batch goes with the queue.
				abort(1011, "Send failed");
				completed(size - i);
				break;
			}
		}
		return !this.phase.compareAndSet(WRITING, PENDING);
	}

	private void sent() {
		completed(1);
	}

	private void failed(Throwable failure) {
		abort(1011, "Send failed");
		completed(1);
	}

	private void completed(int frames) {
		if (this.unwritten.addAndGet(-frames) == 0) {
			written();
			if (!this.phase.compareAndSet(WRITING, COMPLETED_INLINE)) {
				drain();
			}
		}
	}

}
