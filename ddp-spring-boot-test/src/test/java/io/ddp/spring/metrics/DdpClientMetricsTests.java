package io.ddp.spring.metrics;

import java.time.Instant;
import java.util.List;

import io.ddp.spring.test.client.ScriptedDdpConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpClientMetrics}, driving a fake connection through its states.
 */
class DdpClientMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ScriptedDdpConnection connection = new ScriptedDdpConnection("upstream");

	@Test
	void stateGaugesReconnectsAndCountsFollowTheConnection() {
		DdpClientMetrics metrics = new DdpClientMetrics(List.of(this.connection));
		metrics.bindTo(this.registry);
		assertThat(state("connecting")).isEqualTo(1);
		assertThat(state("connected")).isZero();
		this.connection.connected("s1");
		assertThat(state("connected")).isEqualTo(1);
		assertThat(state("connecting")).isZero();
		assertThat(reconnects()).isZero();
		this.connection.lost(1006, "");
		this.connection.waiting(1, Instant.now());
		assertThat(state("waiting")).isEqualTo(1);
		this.connection.connected("s2");
		this.connection.lost(1006, "");
		this.connection.connected("s3");
		assertThat(reconnects()).isEqualTo(2);
		this.connection.counts(4, 7);
		assertThat(this.registry.get("ddp.client.calls.pending").tag("ddp.client.name", "upstream").gauge().value())
			.isEqualTo(4);
		assertThat(this.registry.get("ddp.client.subscriptions").tag("ddp.client.name", "upstream").gauge().value())
			.isEqualTo(7);
		metrics.close();
		assertThat(this.connection.listenerCount()).isZero();
	}

	private double state(String state) {
		return this.registry.get("ddp.client.connection.state")
			.tag("ddp.client.name", "upstream")
			.tag("state", state)
			.gauge()
			.value();
	}

	private double reconnects() {
		return this.registry.get("ddp.client.reconnects").tag("ddp.client.name", "upstream").counter().count();
	}

}
