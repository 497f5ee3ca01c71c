package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

/**
 * Sends frames on a standard (JSR-356) WebSocket session, such as Tomcat's, with batching
 * on: frames wait in a queue, one thread at a time writes everything queued and then
 * flushes once. Under load several frames leave in one socket write, and a method's
 * {@code updated} and {@code result} always do.
 *
 * <p>
 * Any thread may call {@link #send}; a thread that finds another one writing leaves its
 * frames to that writer, which keeps draining until the queue is empty. A peer that lets
 * more than the limit pile up is disconnected.
 */
final class BatchingSender {

	private final Session session;

	private final RemoteEndpoint.Basic remote;

	private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong queuedChars = new AtomicLong();

	private final ReentrantLock writing = new ReentrantLock();

	private final long limitChars;

	BatchingSender(Session session, long limitChars) throws IOException {
		this.session = session;
		this.remote = session.getBasicRemote();
		this.remote.setBatchingAllowed(true);
		this.limitChars = limitChars;
	}

	void send(String frame) throws IOException {
		enqueue(frame);
		drain();
	}

	void send(String first, String second) throws IOException {
		enqueue(first);
		enqueue(second);
		drain();
	}

	private void enqueue(String frame) throws IOException {
		this.queue.add(frame);
		if (this.queuedChars.addAndGet(frame.length()) > this.limitChars) {
			this.queue.clear();
			this.session.close(new jakarta.websocket.CloseReason(
					jakarta.websocket.CloseReason.CloseCodes.VIOLATED_POLICY, "Send buffer limit exceeded"));
			throw new IOException("Send buffer limit of " + this.limitChars + " exceeded");
		}
	}

	private void drain() throws IOException {
		// Re-check after unlocking: a frame queued while we flushed must not be stranded.
		while (!this.queue.isEmpty() && this.writing.tryLock()) {
			try {
				String frame;
				while ((frame = this.queue.poll()) != null) {
					this.queuedChars.addAndGet(-frame.length());
					this.remote.sendText(frame);
				}
				this.remote.flushBatch();
			}
			finally {
				this.writing.unlock();
			}
		}
	}

}
