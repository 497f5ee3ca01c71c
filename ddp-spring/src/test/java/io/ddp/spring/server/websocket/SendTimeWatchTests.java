package io.ddp.spring.server.websocket;

import java.util.concurrent.TimeUnit;

import io.ddp.spring.server.websocket.OutboundQueueTests.Events;
import io.ddp.spring.server.websocket.OutboundQueueTests.ManualQueue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The send time limit applied to a write that no frame follows, with writes the test
 * completes by hand and the clock passed in. Against a real stalled socket:
 * {@code DdpStalledWriteTests} in the autoconfigure module (Tomcat) and
 * {@code JettyQueueTests} (Jetty).
 */
class SendTimeWatchTests {

	private static final long LIMIT = TimeUnit.SECONDS.toNanos(1);

	private final Events events = new Events();

	private final SendTimeWatch watch = new SendTimeWatch(false);

	@Test
	void writeOutlastingTheLimitIsReportedOnceWithoutAnotherFrame() {
		ManualQueue queue = new ManualQueue(1000, LIMIT, this.events);
		this.watch.watch(queue);
		long start = System.nanoTime();
		queue.send("abc");
		this.watch.check(start);
		assertThat(this.events.limits).isEmpty();
		this.watch.check(start + 2 * LIMIT);
		this.watch.check(start + 3 * LIMIT);
		assertThat(this.events.limits).containsExactly("TIME 3");
		assertThat(queue.isAccepting()).isFalse();
	}

	@Test
	void completedWriteAndIdleQueueAreLeftAlone() {
		ManualQueue idle = new ManualQueue(1000, LIMIT, this.events);
		ManualQueue written = new ManualQueue(1000, LIMIT, this.events);
		this.watch.watch(idle);
		this.watch.watch(written);
		written.send("abc");
		written.complete();
		this.watch.check(System.nanoTime() + 10 * LIMIT);
		assertThat(this.events.limits).isEmpty();
		assertThat(idle.isAccepting()).isTrue();
		assertThat(written.isAccepting()).isTrue();
	}

	@Test
	void stalledGracefulCloseIsReportedToo() {
		ManualQueue queue = new ManualQueue(1000, LIMIT, this.events);
		this.watch.watch(queue);
		queue.send("last");
		queue.close(1000, "bye");
		this.watch.check(System.nanoTime() + 2 * LIMIT);
		assertThat(this.events.limits).containsExactly("TIME 4");
	}

	@Test
	void unwatchedQueueIsNoLongerChecked() {
		ManualQueue queue = new ManualQueue(1000, LIMIT, this.events);
		this.watch.watch(queue);
		queue.send("abc");
		this.watch.unwatch(queue);
		this.watch.check(System.nanoTime() + 2 * LIMIT);
		assertThat(this.events.limits).isEmpty();
		assertThat(this.watch.size()).isZero();
	}

	@Test
	void aFailingQueueDoesNotKeepTheOthersFromBeingChecked() {
		OutboundQueue.Listener failing = new OutboundQueue.Listener() {

			@Override
			public void limitExceeded(OutboundQueue.SendLimit limit, long queued) {
				throw new IllegalStateException("listener failed");
			}

			@Override
			public void closeSocket(int code, String reason, boolean aborted) {
			}

		};
		ManualQueue broken = new ManualQueue(1000, LIMIT, failing);
		ManualQueue stalled = new ManualQueue(1000, LIMIT, this.events);
		this.watch.watch(broken);
		this.watch.watch(stalled);
		broken.send("x");
		stalled.send("yz");
		this.watch.check(System.nanoTime() + 2 * LIMIT);
		assertThat(this.events.limits).containsExactly("TIME 2");
	}

}
