package io.ddp.spring.client;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The single thread on which a connection runs every user callback, in order: listener
 * events, result callbacks, completions of asynchronous futures and reconnect hooks. The
 * socket's I/O thread only hands work to it, so user code can never stall the reader.
 *
 * @since 0.1.0
 */
final class CallbackRunner implements Executor {

	private static final Log logger = LogFactory.getLog(CallbackRunner.class);

	private static final Runnable STOP = () -> {
	};

	// lock-free: producers only unpark the runner when it is (about to be) parked
	private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

	private volatile boolean parked;

	private final Thread thread;

	private volatile boolean stopped;

	CallbackRunner(String name) {
		this.thread = new Thread(this::run, "ddp-client-" + name + "-callbacks");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Return whether the current thread is this runner's thread.
	 * @return whether called from a callback
	 */
	boolean isCallbackThread() {
		return Thread.currentThread() == this.thread;
	}

	@Override
	public void execute(Runnable task) {
		if (this.stopped) {
			// After close, run late completions inline: nothing else would
			runSafely(task);
			return;
		}
		this.queue.add(task);
		if (this.parked) {
			LockSupport.unpark(this.thread);
		}
	}

	/**
	 * Stop after the queued tasks ran, waiting up to the given time unless called from
	 * the runner itself.
	 * @param timeoutMillis how long to wait
	 */
	void shutdown(long timeoutMillis) {
		this.queue.add(STOP);
		LockSupport.unpark(this.thread);
		if (!isCallbackThread()) {
			try {
				this.thread.join(timeoutMillis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void run() {
		try {
			while (true) {
				Runnable task = this.queue.poll();
				if (task == null) {
					// no spinning: measured, it cost more CPU per call than the unpark it
					// saves
					this.parked = true;
					// re-check after announcing: a producer may have added before seeing
					// the flag
					if (this.queue.isEmpty()) {
						LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
					}
					this.parked = false;
					continue;
				}
				if (task == STOP) {
					break;
				}
				runSafely(task);
			}
		}
		finally {
			this.stopped = true;
			Runnable task;
			while ((task = this.queue.poll()) != null) {
				if (task != STOP) {
					runSafely(task);
				}
			}
		}
	}

	private static void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			logger.error("DDP client callback failed", ex);
		}
	}

}
