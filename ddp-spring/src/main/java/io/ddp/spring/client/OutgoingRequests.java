package io.ddp.spring.client;

import io.ddp.spring.protocol.DdpException;

/**
 * The method calls and subscriptions one connection's callers make, and when each goes
 * out: at once on an open link; after the reset while one holds them back (the reconnect
 * hooks' own calls excepted, see {@link ConnectionReset}); with the next link's reset
 * when none is open; or never, a call on a closed or failed connection being refused.
 * Also the expiry of calls past their deadline.
 *
 * <p>
 * Threads: {@link #submit} and the subscription methods run on callers' threads (the
 * callback thread too: reconnect hooks, and the reset's own login); {@link #expireCalls}
 * runs on the timer thread every 50 ms. Each takes the link's lock
 * ({@link LinkState#lock}) for its bookkeeping and writes the method frames it queued
 * once it released it. No state of its own: it reads the {@link LinkState} and changes
 * {@link MethodCalls} and {@link DataSync}, all guarded by that lock.
 *
 * @since 0.1.0
 */
final class OutgoingRequests {

	private final String name;

	private final LinkState link;

	private final ClientFrames frames;

	private final MethodCalls calls;

	private final DataSync data;

	OutgoingRequests(String name, LinkState link, ClientFrames frames, MethodCalls calls, DataSync data) {
		this.name = name;
		this.link = link;
		this.frames = frames;
		this.calls = calls;
		this.data = data;
	}

	/**
	 * Send a call, or hold it back, or refuse it.
	 * @param invoker the call
	 */
	void submit(MethodInvoker invoker) {
		DdpException refused = null;
		ClientTransport flushOn;
		synchronized (this.link.lock) {
			flushOn = this.link.transport;
			if (this.link.closed) {
				refused = new DdpException("connection-closed", "DDP connection '" + this.name + "' was closed");
			}
			else if (this.link.state == ConnectionState.FAILED) {
				refused = new DdpException("connection-failed", String.valueOf(this.link.reason));
			}
			else if (this.link.resetInProgress && this.link.hookThread != Thread.currentThread()) {
				// the reset puts login, hook calls and resent calls first
				this.calls.deferLocked(invoker);
			}
			else {
				boolean sendable = !this.link.resetInProgress || this.link.hookGeneration == this.link.generation;
				this.calls.addLocked(invoker, sendable ? this.link.transport : null);
			}
		}
		LinkState.flush(flushOn);
		if (refused != null) {
			MethodCalls.refuse(invoker, refused);
		}
	}

	/** Fail the calls past their deadline; on the timer thread. */
	void expireCalls() {
		if (!this.calls.isEmpty()) {
			long now = System.nanoTime();
			ClientTransport flushOn;
			synchronized (this.link.lock) {
				flushOn = this.link.idleTransportLocked();
				this.calls.expireLocked(now, flushOn);
			}
			LinkState.flush(flushOn);
		}
	}

	int subscriptionCount() {
		synchronized (this.link.lock) {
			return this.data.subscriptionsLocked().size();
		}
	}

	/**
	 * Register a subscription, sending its {@code sub} at once when the link is up (else
	 * the next reset sends it).
	 * @param subscription the subscription
	 * @throws IllegalStateException if the connection is closed
	 */
	void addSubscription(ClientSubscription subscription) {
		synchronized (this.link.lock) {
			if (this.link.closed) {
				throw new IllegalStateException("DDP connection '" + this.name + "' is closed");
			}
			this.data.addLocked(subscription);
			if (this.link.transport != null && !this.link.resetInProgress) {
				this.link.transport.send(subscription.frame);
			}
		}
	}

	/**
	 * Forget a subscription, sending {@code unsub} when the link is up.
	 * @param subscription the subscription
	 */
	void removeSubscription(ClientSubscription subscription) {
		synchronized (this.link.lock) {
			if (this.data.removeLocked(subscription.id()) && this.link.transport != null
					&& !this.link.resetInProgress) {
				this.link.transport.send(this.frames.unsub(subscription.id()));
			}
		}
	}

}
