package io.ddp.spring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The retries of a lost or failed link (Meteor's retry loop): how many attempts ran since
 * the last open link, when the next one starts, and its timer task. Guarded by the
 * connection's lock, as the rest of its state.
 *
 * @since 0.1.0
 */
final class ReconnectLoop {

	private final ScheduledExecutorService timer;

	private int retryCount;

	private @Nullable Instant retryTime;

	private @Nullable ScheduledFuture<?> retryTask;

	ReconnectLoop(ScheduledExecutorService timer) {
		this.timer = timer;
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
	@Nullable String giveUpReason(ReconnectPolicy policy, String reason) {
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
	Duration schedule(ReconnectPolicy policy, Runnable attempt) {
		Duration delay = policy.delay(this.retryCount, ThreadLocalRandom.current().nextDouble());
		cancel();
		this.retryTime = Instant.now().plus(delay);
		this.retryTask = this.timer.schedule(attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
		return delay;
	}

	/**
	 * A scheduled attempt starts.
	 */
	void attemptStarted() {
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
