package io.ddp.spring.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReconnectPolicy}: Meteor's {@code Retry} backoff (section 6.2).
 */
class ReconnectPolicyTests {

	private final ReconnectPolicy meteor = ReconnectPolicy.meteorDefaults();

	@Test
	void theFirstTwoRetriesAreNearlyImmediate() {
		assertThat(this.meteor.delay(0, 0.99)).isEqualTo(Duration.ofMillis(10));
		assertThat(this.meteor.delay(1, 0.0)).isEqualTo(Duration.ofMillis(10));
	}

	@Test
	void thenTheDelayGrowsByTwoPointTwoUpToFiveMinutes() {
		// random 0.5 is the unfuzzed middle of [0.75, 1.25]
		assertThat(this.meteor.delay(2, 0.5)).isEqualTo(Duration.ofMillis(4840));
		assertThat(this.meteor.delay(3, 0.5)).isEqualTo(Duration.ofMillis(10648));
		assertThat(this.meteor.delay(4, 0.5).toMillis()).isEqualTo(23426);
		assertThat(this.meteor.delay(7, 0.5).toMillis()).isEqualTo(249436);
		assertThat(this.meteor.delay(8, 0.5)).isEqualTo(Duration.ofMinutes(5));
		assertThat(this.meteor.delay(50, 0.5)).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void fuzzIsPlusOrMinusAQuarter() {
		assertThat(this.meteor.delay(2, 0.0).toMillis()).isEqualTo(3630);
		assertThat(this.meteor.delay(2, 1.0).toMillis()).isEqualTo(6050);
	}

	@Test
	void noneDoesNotRetry() {
		assertThat(ReconnectPolicy.none().enabled()).isFalse();
		assertThat(this.meteor.enabled()).isTrue();
		assertThat(this.meteor.maxAttempts()).isZero();
	}

}
