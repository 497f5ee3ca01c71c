package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Meteor's quiescence bookkeeping (sections 6.4, 6.6, 6.7): while a {@code wait} method
 * awaits its {@code updated}, or after a reconnect until every revived subscription is
 * {@code ready} (or {@code nosub}) and every method sent on the new connection has its
 * {@code updated}, data messages are buffered and then applied in one batch, replacing
 * the local collections when the reconnect asked for a reset. Not thread-safe: guarded by
 * the connection's lock.
 *
 * @since 0.1.0
 */
final class Quiescence {

	private final Set<String> subsBeingRevived = new HashSet<>();

	private final Set<String> methodsBlocking = new HashSet<>();

	private final List<IncomingMessage> buffered = new ArrayList<>();

	private final List<MethodInvoker> afterUpdate = new ArrayList<>();

	private boolean resetStores;

	/**
	 * A {@code wait} method was sent: data waits for its {@code updated}.
	 * @param methodId the method id
	 */
	void blockOn(String methodId) {
		this.methodsBlocking.add(methodId);
	}

	/**
	 * Forget a method that will never send {@code updated} (timed out or failed locally).
	 * @param methodId the method id
	 */
	void forget(String methodId) {
		this.methodsBlocking.remove(methodId);
	}

	/**
	 * The handshake completed ({@code connected}).
	 * @param reset whether the local collections must be replaced (a new session after an
	 * earlier one)
	 * @param readySubs the subscriptions that were ready before, now being revived
	 * @param sentMethods the methods already sent on this connection
	 * @param halfFinished the methods that had their result but not their data before the
	 * reconnect; they finish at quiescence
	 */
	void connected(boolean reset, Collection<String> readySubs, Collection<String> sentMethods,
			Collection<MethodInvoker> halfFinished) {
		this.resetStores = this.resetStores || reset;
		this.subsBeingRevived.clear();
		this.methodsBlocking.clear();
		this.afterUpdate.clear();
		if (reset) {
			this.subsBeingRevived.addAll(readySubs);
			this.methodsBlocking.addAll(sentMethods);
			this.afterUpdate.addAll(halfFinished);
		}
		// what was buffered belongs to the dropped session
		this.buffered.clear();
	}

	boolean isWaiting() {
		return !this.subsBeingRevived.isEmpty() || !this.methodsBlocking.isEmpty();
	}

	/**
	 * Whether a data message would be applied alone and at once, with no reset of the
	 * local collections pending.
	 * @return whether idle
	 */
	boolean isIdle() {
		return !this.resetStores && !isWaiting();
	}

	/**
	 * Whether the next applied batch must replace the local collections.
	 * @return whether to reset
	 */
	boolean takeReset() {
		boolean reset = this.resetStores;
		this.resetStores = false;
		return reset;
	}

	/**
	 * Offer a data message.
	 * @param message the message
	 * @return the messages to apply now: just this one when nothing is pending, the whole
	 * buffer when this message ended the wait, or {@code null} while still waiting
	 */
	@Nullable List<IncomingMessage> offer(IncomingMessage message) {
		if (!isWaiting()) {
			return List.of(message);
		}
		this.buffered.add(message);
		if ("nosub".equals(message.msg) && message.id != null) {
			this.subsBeingRevived.remove(message.id);
		}
		if (message.subs != null) {
			this.subsBeingRevived.removeAll(message.subs);
		}
		if (message.methods != null) {
			this.methodsBlocking.removeAll(message.methods);
		}
		if (isWaiting()) {
			return null;
		}
		List<IncomingMessage> batch = new ArrayList<>(this.buffered);
		this.buffered.clear();
		return batch;
	}

	/**
	 * Take the methods whose callbacks wait for the next quiescence.
	 * @return the methods
	 */
	List<MethodInvoker> takeAfterUpdate() {
		List<MethodInvoker> invokers = new ArrayList<>(this.afterUpdate);
		this.afterUpdate.clear();
		return invokers;
	}

}
