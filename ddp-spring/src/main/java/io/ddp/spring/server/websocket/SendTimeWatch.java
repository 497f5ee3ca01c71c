package io.ddp.spring.server.websocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Applies the send time limit to a write that no queued frame follows. A queue checks its
 * write in progress whenever a frame is queued, so a peer that stops reading is caught at
 * the next frame; this watch also catches it when nothing more is sent to it. Every open
 * socket's queue is looked at every {@value #PERIOD_MILLIS} ms (one volatile read each),
 * so a stalled write is reported at most that much after its limit.
 *
 * <p>
 * It replaces the container's own send timeout: Tomcat's registers every asynchronous
 * write in a set guarded by one lock for all sessions, and takes that lock again when the
 * write completes, which cost about 2 µs per frame of a 1,000-subscriber fan-out.
 *
 * <p>
 * Threads: {@link #watch} and {@link #unwatch} on any thread; the checks on one daemon
 * thread, {@code ddp-send-watch}, started with the first watched queue. A passed limit is
 * reported from that thread; the queue's listener hands the close to other threads.
 */
final class SendTimeWatch {

	private static final Log logger = LogFactory.getLog(SendTimeWatch.class);

	static final long PERIOD_MILLIS = 250;

	/**
	 * The watch every WebSocket transport of this class loader uses.
	 */
	static final SendTimeWatch SHARED = new SendTimeWatch(true);

	private final Set<OutboundQueue> queues = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean started;

	/**
	 * Create a watch.
	 * @param periodic whether to check on its own thread; if not, only {@link #check}
	 * checks
	 */
	SendTimeWatch(boolean periodic) {
		this.started = new AtomicBoolean(!periodic);
	}

	/**
	 * Check a queue until {@link #unwatch} is called for it.
	 * @param queue the queue of an open socket
	 */
	void watch(OutboundQueue queue) {
		this.queues.add(queue);
		if (this.started.compareAndSet(false, true)) {
			ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
				Thread thread = new Thread(runnable, "ddp-send-watch");
				thread.setDaemon(true);
				return thread;
			});
			timer.scheduleWithFixedDelay(() -> check(System.nanoTime()), PERIOD_MILLIS, PERIOD_MILLIS,
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Stop checking a queue: its socket closed.
	 * @param queue the queue
	 */
	void unwatch(OutboundQueue queue) {
		this.queues.remove(queue);
	}

	/**
	 * Check every watched queue once.
	 * @param now the current {@link System#nanoTime()}
	 */
	void check(long now) {
		for (OutboundQueue queue : this.queues) {
			try {
				queue.checkWriteTime(now);
			}
			catch (RuntimeException ex) {
				// A failing listener must not end the periodic task for every other
				// socket
				logger.warn("Could not close a DDP socket past its send time limit", ex);
			}
		}
	}

	int size() {
		return this.queues.size();
	}

}
