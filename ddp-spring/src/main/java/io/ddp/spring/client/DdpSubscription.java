package io.ddp.spring.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.ddp.spring.protocol.DdpException;
import org.jspecify.annotations.Nullable;

/**
 * A subscription made through {@link DdpConnection#subscribe}. It survives reconnects:
 * the same id is sent again on every new transport.
 *
 * @since 0.1.0
 */
public interface DdpSubscription {

	/**
	 * Return the subscription id sent in the {@code sub} frame.
	 * @return the id
	 */
	String id();

	/**
	 * Return the publication name.
	 * @return the name
	 */
	String name();

	/**
	 * Return the parameters sent in the {@code sub} frame.
	 * @return the parameters
	 */
	List<@Nullable Object> params();

	/**
	 * Return a future that completes when the server reported {@code ready} and the data
	 * before it is in the local collections, or fails with the {@link DdpException} of a
	 * {@code nosub} (or when the subscription is stopped first).
	 * @return the ready future
	 */
	CompletableFuture<Void> ready();

	/**
	 * Return whether the subscription is ready.
	 * @return whether ready
	 */
	boolean isReady();

	/**
	 * Stop the subscription: sends {@code unsub} and runs the stop callbacks without
	 * waiting for the server's {@code nosub}. Idempotent.
	 */
	void stop();

	/**
	 * Register a callback run once when the subscription ends: with {@code null} after
	 * {@link #stop()} or a {@code nosub} without error, with the error otherwise. Runs at
	 * once if the subscription already ended.
	 * @param callback the callback
	 */
	void onStop(Consumer<@Nullable DdpException> callback);

}
