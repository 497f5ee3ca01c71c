package io.ddp.spring.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The DDP heartbeat of one transport (Meteor's {@code Heartbeat}): every interval, if
 * nothing arrived since the last tick and no ping is outstanding, send a ping and expect
 * any message within the timeout. Any inbound message counts as the answer.
 *
 * @since 0.1.0
 */
final class ClientHeartbeat {

	private final long intervalMillis;

	private final long timeoutMillis;

	private final ScheduledExecutorService timer;

	private final Runnable sendPing;

	private final Runnable onTimeout;

	private volatile boolean seen;

	private volatile boolean awaitingPong;

	private @Nullable ScheduledFuture<?> ticker;

	private @Nullable ScheduledFuture<?> timeoutTask;

	private boolean stopped;

	ClientHeartbeat(long intervalMillis, long timeoutMillis, ScheduledExecutorService timer, Runnable sendPing,
			Runnable onTimeout) {
		this.intervalMillis = intervalMillis;
		this.timeoutMillis = timeoutMillis;
		this.timer = timer;
		this.sendPing = sendPing;
		this.onTimeout = onTimeout;
	}

	synchronized void start() {
		if (this.intervalMillis > 0 && !this.stopped) {
			this.ticker = this.timer.scheduleAtFixedRate(this::tick, this.intervalMillis, this.intervalMillis,
					TimeUnit.MILLISECONDS);
		}
	}

	synchronized void stop() {
		this.stopped = true;
		cancel(this.ticker);
		cancel(this.timeoutTask);
	}

	/** Any message arrived: the link is alive. Cheap: called for every frame. */
	void messageReceived() {
		this.seen = true;
		if (this.awaitingPong) {
			synchronized (this) {
				this.awaitingPong = false;
				cancel(this.timeoutTask);
			}
		}
	}

	private synchronized void tick() {
		if (this.stopped) {
			return;
		}
		if (!this.seen && !this.awaitingPong) {
			this.awaitingPong = true;
			this.timeoutTask = this.timer.schedule(this::timedOut, this.timeoutMillis, TimeUnit.MILLISECONDS);
			this.sendPing.run();
		}
		this.seen = false;
	}

	private void timedOut() {
		synchronized (this) {
			if (!this.awaitingPong || this.stopped) {
				return;
			}
			stop();
		}
		this.onTimeout.run();
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

}
