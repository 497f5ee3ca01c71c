package io.ddp.spring.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.protocol.Heartbeat;
import org.jspecify.annotations.Nullable;

/**
 * The timer thread of one connection ({@code ddp-client-<name>-timer}) and what runs on
 * it apart from the retries: the connect timeout of the link being opened, the heartbeat
 * of the open link, and the periodic check of call deadlines.
 *
 * <p>
 * Threads: the connect timeout and the heartbeat are started and stopped holding the
 * connection's lock; {@link #messageReceived()} is called on the I/O thread without it
 * (the heartbeat is read through a volatile field). The tasks themselves run on the timer
 * thread and take the lock as they need.
 *
 * @since 0.1.0
 */
final class ConnectionTimers {

	private final ScheduledThreadPoolExecutor timer;

	// guarded by the connection's lock
	private @Nullable ScheduledFuture<?> connectTimeout;

	private volatile @Nullable Heartbeat heartbeat;

	ConnectionTimers(String connectionName) {
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "ddp-client-" + connectionName + "-timer");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Return the timer, for the retry loop.
	 * @return the timer
	 */
	ScheduledExecutorService executor() {
		return this.timer;
	}

	/**
	 * Run a task every 50 ms, for as long as the connection lives.
	 * @param task the task
	 */
	void every50Millis(Runnable task) {
		this.timer.scheduleWithFixedDelay(task, 50, 50, TimeUnit.MILLISECONDS);
	}

	/**
	 * Run a task on the timer thread, outside the caller's stack.
	 * @param task the task
	 */
	void execute(Runnable task) {
		this.timer.execute(task);
	}

	/**
	 * Start the connect timeout of a link being opened, replacing any earlier one.
	 * @param timeout the timeout
	 * @param timedOut what runs when it expires
	 */
	void startConnectTimeout(Duration timeout, Runnable timedOut) {
		cancelConnectTimeout();
		this.connectTimeout = this.timer.schedule(timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	void cancelConnectTimeout() {
		ScheduledFuture<?> connectTimeout = this.connectTimeout;
		if (connectTimeout != null) {
			connectTimeout.cancel(false);
		}
	}

	/**
	 * Start the heartbeat of a connected link.
	 * @param interval how long the link may be quiet before a ping
	 * @param timeout how long to wait for any frame after the ping
	 * @param sendPing sends a ping
	 * @param timedOut what runs when the link stayed silent
	 */
	void startHeartbeat(Duration interval, Duration timeout, Runnable sendPing, Runnable timedOut) {
		Heartbeat heartbeat = new Heartbeat(this.timer, interval, timeout, sendPing, timedOut);
		this.heartbeat = heartbeat;
		heartbeat.start();
	}

	void stopHeartbeat() {
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.stop();
			this.heartbeat = null;
		}
	}

	/** A frame arrived: the link is alive. */
	void messageReceived() {
		Heartbeat heartbeat = this.heartbeat;
		if (heartbeat != null) {
			heartbeat.messageReceived();
		}
	}

	void shutdown() {
		this.timer.shutdownNow();
	}

}
