package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DdpErrorObject;
import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * The data side of one connection: its subscriptions, and the data messages
 * ({@code added}, {@code changed}, {@code removed}, {@code ready}, {@code updated},
 * {@code nosub}) applied to the local collections through Meteor's quiescence, which
 * finishes the method calls whose writes became visible.
 *
 * <p>
 * Threads: every {@code ...Locked} method runs holding the connection's lock, on the I/O
 * thread (data messages, {@code connected}) or a caller's (subscribing). Changes,
 * {@code ready} and {@code nosub} reach user code on the callback thread.
 *
 * @since 0.1.0
 */
final class DataSync {

	private final LocalCollections store;

	private final Quiescence quiescence;

	private final MethodCalls calls;

	private final ClientListeners listeners;

	private final CallbackRunner callbacks;

	private final Map<String, ClientSubscription> subscriptions = new LinkedHashMap<>();

	DataSync(LocalCollections store, Quiescence quiescence, MethodCalls calls, ClientListeners listeners,
			CallbackRunner callbacks) {
		this.store = store;
		this.quiescence = quiescence;
		this.calls = calls;
		this.listeners = listeners;
		this.callbacks = callbacks;
	}

	void addLocked(ClientSubscription subscription) {
		this.subscriptions.put(subscription.id(), subscription);
	}

	boolean removeLocked(String id) {
		return this.subscriptions.remove(id) != null;
	}

	Collection<ClientSubscription> subscriptionsLocked() {
		return this.subscriptions.values();
	}

	List<ClientSubscription> clearLocked() {
		List<ClientSubscription> all = new ArrayList<>(this.subscriptions.values());
		this.subscriptions.clear();
		return all;
	}

	/**
	 * The handshake completed: start quiescence over the revived subscriptions and the
	 * unfinished calls, or apply at once when there is nothing to wait for.
	 * @param reset whether the server started a new session (local data is replaced)
	 * @param sendOn the transport for the calls' next block, or {@code null}
	 */
	void connectedLocked(boolean reset, @Nullable ClientTransport sendOn) {
		List<String> readySubs = new ArrayList<>();
		for (ClientSubscription subscription : this.subscriptions.values()) {
			if (subscription.readyReceived) {
				readySubs.add(subscription.id());
			}
		}
		List<String> sent = new ArrayList<>();
		List<MethodInvoker> halfFinished = new ArrayList<>();
		this.calls.collectUnfinishedLocked(sent, halfFinished);
		this.quiescence.connected(reset, readySubs, sent, halfFinished);
		if (!this.quiescence.isWaiting()) {
			applyBatchLocked(List.of(), this.quiescence.takeReset(), sendOn);
			runAfterUpdateLocked(sendOn);
		}
	}

	/**
	 * A data message arrived: apply it, or buffer it while quiescence waits.
	 * @param message the message
	 * @param sendOn the transport for the calls' next block, or {@code null}
	 */
	void dataLocked(IncomingMessage message, @Nullable ClientTransport sendOn) {
		if (message.methods != null && "updated".equals(message.msg) && this.quiescence.isIdle()) {
			// the one data message of every call: nothing to apply to the collections
			this.calls.updatedLocked(message.methods, sendOn);
			return;
		}
		List<IncomingMessage> batch = this.quiescence.offer(message);
		if (batch == null) {
			return;
		}
		applyBatchLocked(batch, this.quiescence.takeReset(), sendOn);
		if (batch.size() > 1 || batch.get(0) != message) {
			runAfterUpdateLocked(sendOn);
		}
	}

	private void applyBatchLocked(List<IncomingMessage> batch, boolean reset, @Nullable ClientTransport sendOn) {
		this.listeners.documentsChanged(this.store.apply(batch, reset));
		for (IncomingMessage message : batch) {
			switch (Objects.requireNonNull(message.msg)) {
				case "ready" -> readyLocked(message);
				case "updated" -> {
					if (message.methods != null) {
						this.calls.updatedLocked(message.methods, sendOn);
					}
				}
				case "nosub" -> nosubLocked(message);
				default -> {
				}
			}
		}
	}

	private void runAfterUpdateLocked(@Nullable ClientTransport sendOn) {
		for (MethodInvoker invoker : this.quiescence.takeAfterUpdate()) {
			this.calls.dataVisibleLocked(invoker, sendOn);
		}
	}

	private void readyLocked(IncomingMessage message) {
		if (message.subs == null) {
			return;
		}
		for (String id : message.subs) {
			ClientSubscription subscription = this.subscriptions.get(id);
			if (subscription != null && !subscription.readyReceived) {
				subscription.readyReceived = true;
				this.callbacks.execute(subscription::markReady);
			}
		}
	}

	private void nosubLocked(IncomingMessage message) {
		if (message.id == null) {
			return;
		}
		ClientSubscription subscription = this.subscriptions.remove(message.id);
		if (subscription != null) {
			DdpException error = (message.error != null) ? DdpErrorObject.read(message.error) : null;
			this.callbacks.execute(() -> subscription.end(error));
		}
	}

}
