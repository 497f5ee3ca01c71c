package io.ddp.spring.autoconfigure;

import java.util.List;

import io.ddp.spring.health.DdpJdbcHealthIndicator;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the PostgreSQL listening connection, tagged with {@code listener}
 * ({@code postgres}): {@code ddp.jdbc.listening} (1 while listening, 0 otherwise),
 * {@code ddp.jdbc.reconnects} and {@code ddp.jdbc.notifications}.
 */
final class DdpJdbcListenerMetrics implements MeterBinder {

	private final List<DdpJdbcHealthIndicator.Listener> listeners;

	DdpJdbcListenerMetrics(List<DdpJdbcHealthIndicator.Listener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DdpJdbcHealthIndicator.Listener listener : this.listeners) {
			Gauge.builder("ddp.jdbc.listening", listener, (each) -> each.listening().getAsBoolean() ? 1 : 0)
				.description("Whether the connection listening for changes made by other instances is open")
				.tag("listener", listener.name())
				.register(registry);
			FunctionCounter.builder("ddp.jdbc.reconnects", listener, (each) -> each.reconnects().getAsLong())
				.description("Times the listening connection was opened again after it was lost")
				.tag("listener", listener.name())
				.register(registry);
			if (listener.notifications().getAsLong() >= 0) {
				FunctionCounter.builder("ddp.jdbc.notifications", listener, (each) -> each.notifications().getAsLong())
					.description("Notifications received on the listening connection")
					.tag("listener", listener.name())
					.register(registry);
			}
		}
	}

}
