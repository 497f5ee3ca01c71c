package io.ddp.spring.observation;

import io.ddp.spring.client.DdpCallObserver;
import io.ddp.spring.protocol.DdpException;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpClientCallObservations}.
 */
class DdpClientCallObservationsTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final DdpClientCallObservations observations = new DdpClientCallObservations(this.registry, null);

	@Test
	void aCallIsObservedUntilItFinishes() {
		DdpCallObserver.Call call = this.observations.callStarted("upstream", "echo");
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("ddp.client.calls")
			.that()
			.hasBeenStarted()
			.isNotStopped();
		call.finished(null);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("ddp.client.calls")
			.that()
			.hasBeenStopped()
			.hasContextualNameEqualTo("call echo")
			.hasLowCardinalityKeyValue("ddp.client.name", "upstream")
			.hasLowCardinalityKeyValue("ddp.method", "echo")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS")
			.hasLowCardinalityKeyValue("ddp.error.code", "none");
	}

	@Test
	void aServerErrorIsTaggedWithItsCode() {
		this.observations.callStarted("upstream", "pay").finished(new DdpException("not-authorized", "No"));
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("ddp.client.calls")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "ERROR")
			.hasLowCardinalityKeyValue("ddp.error.code", "not-authorized")
			.hasLowCardinalityKeyValue("error", "DdpException");
	}

	@Test
	void noopRegistryObservesNothing() {
		DdpClientCallObservations noop = new DdpClientCallObservations(
				io.micrometer.observation.ObservationRegistry.NOOP, null);
		assertThat(noop.callStarted("upstream", "echo")).isSameAs(DdpCallObserver.Call.NONE);
	}

}
