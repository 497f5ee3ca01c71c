package io.ddp.spring.client;

/**
 * Counts a {@link DdpConnection} can expose for metrics and the {@code ddp} actuator
 * endpoint. Optional: a connection that also implements this interface gets the
 * {@code ddp.client.calls.pending} and {@code ddp.client.subscriptions} gauges.
 *
 * @since 0.1.0
 */
public interface DdpConnectionStatistics {

	/**
	 * Return the method calls sent or queued that have no result yet.
	 * @return the count
	 */
	int activeCallCount();

	/**
	 * Return the subscriptions that are not stopped (ready or not).
	 * @return the count
	 */
	int subscriptionCount();

}
