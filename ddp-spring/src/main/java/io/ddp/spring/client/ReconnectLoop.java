package io.ddp.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The retries of a lost or failed link (Meteor's retry loop): what a lost link leads to
 * (the next attempt after the policy's delay, or giving up), how many attempts ran since
 * the last open link, when the next one starts, and its timer task. The transitions it
 * starts (dropping the link, opening the next, failing for good) are the state machine's
 * ({@link ConnectionLifecycle}). Logs under {@link DefaultDdpConnection}'s name.
 *
 * <p>
 * Threads: {@link #lostLocked} runs holding the link's lock ({@link LinkState#lock}), on
 * the I/O thread (the transport closed) or the timer thread (a connect or heartbeat
 * timeout, or a transport that could not be opened); a scheduled attempt runs on the
 * timer thread and takes that lock. The lock guards this object's fields, as the rest of
 * the link's state.
 *
 * @since 0.1.0
 */
final class ReconnectLoop {

	private static final Log logger = LogFactory.getLog(DefaultDdpConnection.class);

	private final ConnectionLifecycle lifecycle;

	private final String name;

	private final LinkState link;

	private final ClientListeners listeners;

	private final ScheduledExecutorService timer;

	private int retryCount;

	private @Nullable Instant retryTime;

	private @Nullable ScheduledFuture<?> retryTask;

	ReconnectLoop(ConnectionLifecycle lifecycle, String name, LinkState link, ClientListeners listeners,
			ScheduledExecutorService timer) {
		this.lifecycle = lifecycle;
		this.name = name;
		this.link = link;
		this.listeners = listeners;
		this.timer = timer;
	}

	/**
	 * The link was lost (or could not be opened): drop it, tell the listeners, then retry
	 * after the policy's delay or give up; holding the link's lock.
	 * @param code the close code
	 * @param reason why
	 */
	void lostLocked(int code, String reason) {
		DdpClientOptions options = this.lifecycle.options();
		boolean wasConnected = this.link.ddpConnected;
		this.lifecycle.dropTransportLocked(false);
		this.link.reason = reason;
		this.listeners.emit((listener) -> listener.socketClosed(code, reason));
		if (this.link.closed || this.link.state == ConnectionState.OFFLINE
				|| this.link.state == ConnectionState.FAILED) {
			this.lifecycle.publishStatusLocked();
			return;
		}
		ReconnectPolicy policy = options.retry();
		String giveUp = giveUpReason(policy, reason);
		if (giveUp != null) {
			this.lifecycle.failPermanentlyLocked(giveUp);
			return;
		}
		int gen = this.link.generation;
		Duration delay = schedule(policy, () -> retryFromTimer(gen));
		this.link.state = ConnectionState.WAITING;
		this.lifecycle.publishStatusLocked();
		int attempts = this.retryCount;
		logger.warn("DDP connection '" + this.name + "' to " + options.url()
				+ (wasConnected ? " lost: " : " could not connect: ") + reason + "; retrying in "
				+ String.format(Locale.ROOT, "%.1f s", delay.toMillis() / 1000.0)
				+ ((attempts > 0) ? " (attempt " + (attempts + 1) + ")" : ""));
	}

	private void retryFromTimer(int gen) {
		synchronized (this.link.lock) {
			if (gen == this.link.generation && this.link.state == ConnectionState.WAITING) {
				attemptStarted();
				this.lifecycle.openTransportLocked();
			}
		}
	}

	/**
	 * Return the attempts since the last open link.
	 * @return the count
	 */
	int retryCount() {
		return this.retryCount;
	}

	/**
	 * Return when the next attempt starts.
	 * @return the time, or {@code null} when none is scheduled
	 */
	@Nullable Instant retryTime() {
		return this.retryTime;
	}

	/**
	 * A transport opened: the next loss starts counting afresh.
	 */
	void linkOpened() {
		this.retryCount = 0;
	}

	/**
	 * Return why the policy gives up instead of retrying after a loss.
	 * @param policy the policy
	 * @param reason why the link was lost
	 * @return the reason to fail for good, or {@code null} to retry
	 */
	private @Nullable String giveUpReason(ReconnectPolicy policy, String reason) {
		if (!policy.enabled()) {
			return "Connection lost and retries are disabled: " + reason;
		}
		if (policy.maxAttempts() > 0 && this.retryCount >= policy.maxAttempts()) {
			return "Gave up after " + this.retryCount + " attempts to reconnect: " + reason;
		}
		return null;
	}

	/**
	 * Schedule the next attempt after the policy's delay, replacing a scheduled one.
	 * @param policy the policy
	 * @param attempt runs the attempt on the timer thread (which counts it with
	 * {@link #attemptStarted()} when it still applies)
	 * @return the delay
	 */
	private Duration schedule(ReconnectPolicy policy, Runnable attempt) {
		Duration delay = policy.delay(this.retryCount, ThreadLocalRandom.current().nextDouble());
		cancel();
		this.retryTime = Instant.now().plus(delay);
		this.retryTask = this.timer.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
		return delay;
	}

	/**
	 * A scheduled attempt starts.
	 */
	private void attemptStarted() {
		this.retryCount++;
	}

	/**
	 * Cancel the scheduled attempt, if any (an attempt starts now, or none will).
	 */
	void cancel() {
		ScheduledFuture<?> task = this.retryTask;
		if (task != null) {
			task.cancel(false);
			this.retryTask = null;
		}
		this.retryTime = null;
	}

}
