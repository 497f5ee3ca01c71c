package io.ddp.spring.protocol;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Heartbeat}: pings only on a silent link, a timeout only when nothing
 * answers, and the ping and pong frames.
 */
class HeartbeatTests {

	private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

	private final AtomicInteger pings = new AtomicInteger();

	private final AtomicInteger timeouts = new AtomicInteger();

	@AfterEach
	void stopTimer() {
		this.timer.shutdownNow();
	}

	@Test
	void silentLinkIsPingedThenTimesOutOnce() {
		Heartbeat heartbeat = heartbeat(Duration.ofMillis(20), Duration.ofMillis(40));
		heartbeat.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.timeouts.get() == 1);
		assertThat(this.pings.get()).isEqualTo(1);
	}

	@Test
	void anyMessageAnswersThePing() {
		Heartbeat heartbeat = heartbeat(Duration.ofMillis(20), Duration.ofMillis(200));
		heartbeat.start();
		for (int i = 0; i < 3; i++) {
			int seen = this.pings.get();
			await().atMost(Duration.ofSeconds(5)).until(() -> this.pings.get() > seen);
			heartbeat.messageReceived();
		}
		heartbeat.stop();
		assertThat(this.timeouts.get()).isZero();
	}

	@Test
	void zeroIntervalMeansNoHeartbeat() {
		Heartbeat heartbeat = heartbeat(Duration.ZERO, Duration.ofMillis(10));
		heartbeat.start();
		assertThat(this.timer.getQueue()).isEmpty();
	}

	@Test
	void stoppedHeartbeatDoesNotStartAgain() {
		Heartbeat heartbeat = heartbeat(Duration.ofMillis(20), Duration.ofMillis(10));
		heartbeat.stop();
		heartbeat.start();
		assertThat(this.timer.getQueue()).isEmpty();
	}

	@Test
	void pingAndPongFrames() {
		assertThat(Heartbeat.ping(null)).isEqualTo("{\"msg\":\"ping\"}");
		assertThat(Heartbeat.pong(null)).isEqualTo("{\"msg\":\"pong\"}");
		assertThat(Heartbeat.ping("a1")).isEqualTo("{\"msg\":\"ping\",\"id\":\"a1\"}");
		assertThat(Heartbeat.pong("q\"\\\n")).isEqualTo("{\"msg\":\"pong\",\"id\":\"q\\\"\\\\\\u000a\"}");
	}

	private Heartbeat heartbeat(Duration interval, Duration timeout) {
		return new Heartbeat(this.timer, interval, timeout, this.pings::incrementAndGet,
				this.timeouts::incrementAndGet);
	}

}
