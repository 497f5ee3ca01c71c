package io.ddp.spring.observation;

import java.util.concurrent.CompletableFuture;

import io.ddp.spring.protocol.DdpException;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DdpClientCallObservations}.
 */
class DdpClientCallObservationsTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final DdpClientCallObservations observations = new DdpClientCallObservations(this.registry, null);

	@Test
	void aCallIsObservedUntilItsResultArrives() {
		CompletableFuture<String> result = new CompletableFuture<>();
		CompletableFuture<String> observed = this.observations.observe("upstream", "echo", () -> {
			assertThat(this.registry.getCurrentObservation()).isNotNull();
			return result;
		});
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("ddp.client.calls")
			.that()
			.hasBeenStarted()
			.isNotStopped();
		result.complete("done");
		assertThat(observed.join()).isEqualTo("done");
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
		CompletableFuture<Object> observed = this.observations.observe("upstream", "pay",
				() -> CompletableFuture.failedFuture(new DdpException("not-authorized", "No")));
		assertThatExceptionOfType(Exception.class).isThrownBy(observed::join);
		TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("ddp.client.calls")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "ERROR")
			.hasLowCardinalityKeyValue("ddp.error.code", "not-authorized")
			.hasLowCardinalityKeyValue("error", "DdpException");
	}

}
