package io.ddp.spring.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientListener;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatistics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Meters of DDP client connections, each tagged {@code ddp.client.name}:
 * <ul>
 * <li>{@code ddp.client.connection.state} (gauge per {@code state}: 1 for the current
 * state, 0 for the others);
 * <li>{@code ddp.client.reconnects} (counter): handshakes completed after an earlier
 * connection of the same {@link DdpConnection};
 * <li>{@code ddp.client.calls.pending} and {@code ddp.client.subscriptions} (gauges), for
 * connections that implement {@link DdpConnectionStatistics}.
 * </ul>
 *
 * @since 0.1.0
 */
public class DdpClientMetrics implements MeterBinder, AutoCloseable {

	private static final Log logger = LogFactory.getLog(DdpClientMetrics.class);

	private final Supplier<? extends List<DdpConnection>> connections;

	private final List<AutoCloseable> listeners = new ArrayList<>();

	/**
	 * Create the meters of the given connections.
	 * @param connections the connections
	 */
	public DdpClientMetrics(List<DdpConnection> connections) {
		List<DdpConnection> copy = List.copyOf(connections);
		this.connections = () -> copy;
	}

	/**
	 * Create the meters of connections looked up when the meters are bound (so that
	 * connections may themselves depend on the meter registry).
	 * @param connections supplies the connections
	 */
	public DdpClientMetrics(Supplier<? extends List<DdpConnection>> connections) {
		this.connections = connections;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DdpConnection connection : this.connections.get()) {
			if (connection.name() == null) {
				// A test double (@MockitoBean) may have no name: nothing to tag its
				// meters with
				continue;
			}
			Tags tags = Tags.of("ddp.client.name", connection.name());
			for (ConnectionState state : ConnectionState.values()) {
				Gauge
					.builder("ddp.client.connection.state", connection,
							(c) -> (c.status() != null && c.status().state() == state) ? 1 : 0)
					.tags(tags)
					.tag("state", state.meteorName())
					.description("1 for the DDP connection's current state, 0 for the others")
					.register(registry);
			}
			Counter reconnects = Counter.builder("ddp.client.reconnects")
				.tags(tags)
				.description("DDP handshakes completed after an earlier connection")
				.register(registry);
			synchronized (this.listeners) {
				this.listeners.add(connection.addListener(new DdpClientListener() {

					@Override
					public void connected(String sessionId, String version, boolean reconnect) {
						if (reconnect) {
							reconnects.increment();
						}
					}

				}));
			}
			if (connection instanceof DdpConnectionStatistics statistics) {
				Gauge.builder("ddp.client.calls.pending", statistics, DdpConnectionStatistics::activeCallCount)
					.tags(tags)
					.description("DDP method calls sent or queued without a result")
					.register(registry);
				Gauge.builder("ddp.client.subscriptions", statistics, DdpConnectionStatistics::subscriptionCount)
					.tags(tags)
					.description("DDP subscriptions that are not stopped")
					.register(registry);
			}
		}
	}

	/**
	 * Remove the listeners from the connections.
	 */
	@Override
	public void close() {
		synchronized (this.listeners) {
			for (AutoCloseable listener : this.listeners) {
				try {
					listener.close();
				}
				catch (Exception ex) {
					logger.debug("Could not remove a DDP client listener", ex);
				}
			}
			this.listeners.clear();
		}
	}

}
