package io.ddp.spring.jdbc;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One component's subscription to one channel of the instance's
 * {@link NotificationListener}, started and stopped with the component (a store that
 * hears of other instances' changes): {@link #start()} and {@link #stop()} may be called
 * any number of times, from any thread, and the handler is registered at most once.
 *
 * @since 0.1.0
 */
public final class ListenedChannel {

	private final NotificationListener listener;

	private final String channel;

	private final NotificationListener.Handler handler;

	private final Object monitor = new Object();

	private volatile @Nullable Runnable stop;

	/**
	 * Create a subscription, not started.
	 * @param listener the instance's listening connection
	 * @param channel the channel
	 * @param handler receives the channel's notifications
	 */
	public ListenedChannel(NotificationListener listener, String channel, NotificationListener.Handler handler) {
		this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
		this.channel = Objects.requireNonNull(channel, "'channel' must not be null");
		this.handler = Objects.requireNonNull(handler, "'handler' must not be null");
	}

	/**
	 * Start handing the channel's notifications to the handler, unless started already.
	 */
	public void start() {
		synchronized (this.monitor) {
			if (this.stop == null) {
				this.stop = this.listener.listen(this.channel, this.handler);
			}
		}
	}

	/**
	 * Stop handing notifications to the handler; the listening connection stays open.
	 */
	public void stop() {
		synchronized (this.monitor) {
			Runnable stop = this.stop;
			if (stop != null) {
				stop.run();
				this.stop = null;
			}
		}
	}

	/**
	 * Whether started and the listening connection listens to the channel now, so that
	 * notifications sent from now on arrive.
	 * @return whether notifications arrive
	 */
	public boolean isListening() {
		return this.stop != null && this.listener.isListening(this.channel);
	}

}
