package io.ddp.spring.server.session;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * DDP heartbeats (ddp-protocol.md 1.5): every interval, if nothing arrived since the last
 * tick and no ping is outstanding, send a ping and wait the timeout for any message.
 *
 * <p>
 * Ticks and timeouts run on the server's timer thread; {@link #messageReceived()} on the
 * socket's thread. All state is guarded by this object's monitor.
 */
final class Heartbeat {

	private final ScheduledExecutorService timer;

	private final long intervalMillis;

	private final long timeoutMillis;

	private final Runnable sendPing;

	private final Runnable onTimeout;

	private boolean seen;

	private @Nullable ScheduledFuture<?> ticks;

	private @Nullable ScheduledFuture<?> pendingTimeout;

	Heartbeat(ScheduledExecutorService timer, Duration interval, Duration timeout, Runnable sendPing,
			Runnable onTimeout) {
		this.timer = timer;
		this.intervalMillis = interval.toMillis();
		this.timeoutMillis = timeout.toMillis();
		this.sendPing = sendPing;
		this.onTimeout = onTimeout;
	}

	synchronized void start() {
		if (this.intervalMillis > 0 && this.ticks == null) {
			this.ticks = this.timer.scheduleAtFixedRate(this::tick, this.intervalMillis, this.intervalMillis,
					TimeUnit.MILLISECONDS);
		}
	}

	synchronized void stop() {
		if (this.ticks != null) {
			this.ticks.cancel(false);
			this.ticks = null;
		}
		cancelTimeout();
	}

	/**
	 * Any inbound message proves the peer alive, pong or not.
	 */
	synchronized void messageReceived() {
		this.seen = true;
		cancelTimeout();
	}

	private void tick() {
		boolean ping;
		synchronized (this) {
			ping = !this.seen && this.pendingTimeout == null && this.ticks != null;
			if (ping) {
				this.pendingTimeout = this.timer.schedule(this::timedOut, this.timeoutMillis, TimeUnit.MILLISECONDS);
			}
			this.seen = false;
		}
		if (ping) {
			this.sendPing.run();
		}
	}

	private void timedOut() {
		synchronized (this) {
			if (this.pendingTimeout == null) {
				return;
			}
			this.pendingTimeout = null;
		}
		this.onTimeout.run();
	}

	private void cancelTimeout() {
		if (this.pendingTimeout != null) {
			this.pendingTimeout.cancel(false);
			this.pendingTimeout = null;
		}
	}

}
