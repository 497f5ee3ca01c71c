package io.ddp.spring.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.ddp.spring.test.client.ScriptedDdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpConnectionHealthIndicator}: the status rules, driven through a fake
 * connection and a clock the test moves.
 */
class DdpConnectionHealthIndicatorTests {

	private static final Duration GRACE = Duration.ofSeconds(30);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));

	private final ScriptedDdpConnection connection = new ScriptedDdpConnection("upstream");

	private final DdpConnectionHealthIndicator indicator = new DdpConnectionHealthIndicator(this.connection, GRACE,
			this.clock);

	@Test
	void beforeTheFirstHandshakeItIsOutOfServiceThenDownAfterTheGracePeriod() {
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
		assertThat(health.getDetails()).containsEntry("state", "connecting")
			.containsEntry("downSince", Instant.parse("2026-01-01T10:00:00Z"));
		this.clock.advance(GRACE.plusSeconds(1));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void upOnlyOnceTheHandshakeCompletedWithSessionAndVersion() {
		this.clock.advance(Duration.ofSeconds(2));
		this.connection.connected("session-1");
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "connected")
			.containsEntry("sessionId", "session-1")
			.containsEntry("version", "1")
			.containsEntry("retryCount", 0)
			.containsEntry("connectedSince", Instant.parse("2026-01-01T10:00:02Z"))
			.doesNotContainKey("downSince");
	}

	@Test
	void reconnectingWithinTheGracePeriodStaysUpWithDetails() {
		this.connection.connected("session-1");
		this.clock.advance(Duration.ofMinutes(5));
		this.connection.lost(1006, "connection reset");
		Instant retry = this.clock.instant().plusSeconds(3);
		this.connection.waiting(2, retry);
		this.clock.advance(GRACE.minusSeconds(1));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("state", "waiting")
			.containsEntry("retryCount", 2)
			.containsEntry("nextRetry", retry)
			.containsEntry("lastFailure", "connection reset")
			.containsEntry("downSince", Instant.parse("2026-01-01T10:05:00Z"))
			.doesNotContainKey("sessionId");
	}

	@Test
	void downOnceReconnectingTakesLongerThanTheGracePeriod() {
		this.connection.connected("session-1");
		this.connection.lost(1006, "");
		this.clock.advance(GRACE);
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("lastFailure", "socket closed (1006)");
	}

	@Test
	void aReconnectRestartsTheGracePeriod() {
		this.connection.connected("session-1");
		this.connection.lost(1001, "going away");
		this.clock.advance(Duration.ofSeconds(20));
		this.connection.connected("session-2");
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
		this.clock.advance(Duration.ofMinutes(10));
		this.connection.lost(1006, "");
		this.clock.advance(Duration.ofSeconds(20));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void failedForGoodIsDownAtOnce() {
		this.connection.connected("session-1");
		this.connection.failed("DDP version negotiation failed");
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("state", "failed")
			.containsEntry("lastFailure", "DDP version negotiation failed");
	}

	@Test
	void deliberatelyOfflineIsOutOfService() {
		this.connection.connected("session-1");
		this.connection.disconnect();
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
