package io.ddp.spring.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The DDP heartbeat of one link, the same on both sides (ddp-protocol.md 1.5, Meteor's
 * {@code Heartbeat}): every interval, if nothing arrived since the last tick and no ping
 * is outstanding, send a ping and expect any message within the timeout. Any inbound
 * message counts as the answer. Also writes the {@code ping} and {@code pong} frames.
 *
 * <p>
 * Threads: ticks and timeouts run on the given timer; {@link #messageReceived()} runs on
 * the reading thread for every frame and takes no lock unless a ping is outstanding.
 * {@code sendPing} and {@code onTimeout} are called outside this object's monitor, so
 * they may take their owner's lock even while the owner calls {@link #stop()} under it.
 *
 * @since 0.1.0
 */
public final class Heartbeat {

	private final ScheduledExecutorService timer;

	private final long intervalMillis;

	private final long timeoutMillis;

	private final Runnable sendPing;

	private final Runnable onTimeout;

	// the fast path: written on every frame, read by the tick
	private volatile boolean seen;

	private volatile boolean awaitingPong;

	// guarded by this
	private @Nullable ScheduledFuture<?> ticks;

	private @Nullable ScheduledFuture<?> pendingTimeout;

	private boolean stopped;

	/**
	 * Create a heartbeat; it ticks once {@link #start() started}.
	 * @param timer the timer that runs ticks and timeouts
	 * @param interval the time between ticks, zero or negative for no heartbeat
	 * @param timeout how long to wait for any message after a ping
	 * @param sendPing sends a ping
	 * @param onTimeout called once when no message arrived within the timeout
	 */
	public Heartbeat(ScheduledExecutorService timer, Duration interval, Duration timeout, Runnable sendPing,
			Runnable onTimeout) {
		this.timer = timer;
		this.intervalMillis = interval.toMillis();
		this.timeoutMillis = timeout.toMillis();
		this.sendPing = sendPing;
		this.onTimeout = onTimeout;
	}

	/**
	 * Start ticking (once; a stopped heartbeat stays stopped).
	 */
	public synchronized void start() {
		if (this.intervalMillis > 0 && this.ticks == null && !this.stopped) {
			this.ticks = this.timer.scheduleAtFixedRate(this::tick, this.intervalMillis, this.intervalMillis,
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Stop for good: no more pings, no timeout.
	 */
	public synchronized void stop() {
		this.stopped = true;
		this.awaitingPong = false;
		cancel(this.ticks);
		this.ticks = null;
		cancelTimeout();
	}

	/**
	 * Any message arrived: the peer is alive, pong or not. Cheap: called for every frame.
	 */
	public void messageReceived() {
		this.seen = true;
		if (this.awaitingPong) {
			synchronized (this) {
				this.awaitingPong = false;
				cancelTimeout();
			}
		}
	}

	private void tick() {
		boolean ping;
		synchronized (this) {
			if (this.stopped) {
				return;
			}
			ping = !this.seen && !this.awaitingPong;
			if (ping) {
				this.awaitingPong = true;
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
			if (!this.awaitingPong || this.stopped) {
				return;
			}
			stop();
		}
		this.onTimeout.run();
	}

	private void cancelTimeout() {
		cancel(this.pendingTimeout);
		this.pendingTimeout = null;
	}

	private static void cancel(@Nullable ScheduledFuture<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	/**
	 * A {@code ping} frame.
	 * @param id the ping's id, or {@code null} for none
	 * @return the frame
	 */
	public static String ping(@Nullable String id) {
		return (id != null) ? "{\"msg\":\"ping\",\"id\":" + quote(id) + "}" : "{\"msg\":\"ping\"}";
	}

	/**
	 * A {@code pong} frame, echoing the ping's id.
	 * @param id the ping's id, or {@code null} when it had none
	 * @return the frame
	 */
	public static String pong(@Nullable String id) {
		return (id != null) ? "{\"msg\":\"pong\",\"id\":" + quote(id) + "}" : "{\"msg\":\"pong\"}";
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || (Character.isSurrogate(c) && !isPairAt(text, i))) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString();
	}

	// Whether the surrogate at the index is half of a pair, so it encodes as UTF-8.
	private static boolean isPairAt(String text, int index) {
		if (Character.isHighSurrogate(text.charAt(index))) {
			return index + 1 < text.length() && Character.isLowSurrogate(text.charAt(index + 1));
		}
		return index > 0 && Character.isHighSurrogate(text.charAt(index - 1));
	}

}
