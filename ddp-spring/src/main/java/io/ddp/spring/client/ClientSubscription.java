package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * A subscription of a {@link DefaultDdpConnection}. Its state changes on the connection's
 * callback thread, so {@link #ready()} completes and {@link #onStop} callbacks run there.
 *
 * @since 0.1.0
 */
final class ClientSubscription implements DdpSubscription {

	private final DefaultDdpConnection connection;

	private final String id;

	private final String name;

	private final List<@Nullable Object> params;

	final String frame;

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private final List<Consumer<@Nullable DdpException>> stopCallbacks = new ArrayList<>();

	/** Ready as far as the connection's lock-guarded bookkeeping knows. */
	boolean readyReceived;

	private boolean ended;

	private @Nullable DdpException endError;

	ClientSubscription(DefaultDdpConnection connection, String id, String name, List<@Nullable Object> params,
			String frame) {
		this.connection = connection;
		this.id = id;
		this.name = name;
		this.params = params;
		this.frame = frame;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public List<@Nullable Object> params() {
		return this.params;
	}

	@Override
	public CompletableFuture<Void> ready() {
		return this.ready;
	}

	@Override
	public boolean isReady() {
		return this.ready.isDone() && !this.ready.isCompletedExceptionally();
	}

	@Override
	public void stop() {
		this.connection.unsubscribe(this);
	}

	@Override
	public void onStop(Consumer<@Nullable DdpException> callback) {
		DdpException error;
		synchronized (this) {
			if (!this.ended) {
				this.stopCallbacks.add(callback);
				return;
			}
			error = this.endError;
		}
		callback.accept(error);
	}

	/** Called on the callback thread. */
	void markReady() {
		this.ready.complete(null);
	}

	/**
	 * Called on the callback thread when the subscription ended.
	 * @param error the error of a {@code nosub}, or {@code null}
	 */
	void end(@Nullable DdpException error) {
		List<Consumer<@Nullable DdpException>> callbacks;
		synchronized (this) {
			if (this.ended) {
				return;
			}
			this.ended = true;
			this.endError = error;
			callbacks = new ArrayList<>(this.stopCallbacks);
			this.stopCallbacks.clear();
		}
		if (!this.ready.isDone()) {
			this.ready.completeExceptionally((error != null) ? error : new DdpException("subscription-stopped",
					"Subscription '" + this.name + "' stopped before it was ready"));
		}
		for (Consumer<@Nullable DdpException> callback : callbacks) {
			callback.accept(error);
		}
	}

	@Override
	public String toString() {
		return "subscription '" + this.name + "' (id " + this.id + ")";
	}

}
