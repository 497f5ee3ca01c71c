package io.ddp.spring.server.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-session outbound queue's bookkeeping, with writes the test completes by hand:
 * order, one write at a time, the limits, and the close after the last frame. The
 * behaviour against real slow sockets is in the autoconfigure module's slow-consumer and
 * overload tests.
 */
class OutboundQueueTests {

	private final Events events = new Events();

	@Test
	void writesInOrderOneAtATimeAndContinuesFromTheCompletion() {
		ManualQueue queue = new ManualQueue(1000, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("a");
		queue.send("b", "c");
		queue.send("d");
		assertThat(queue.started).containsExactly(List.of("a"));
		assertThat(queue.queuedChars()).isEqualTo(4);
		queue.complete();
		// Everything queued behind the write leaves in the next one.
		assertThat(queue.started).containsExactly(List.of("a"), List.of("b", "c", "d"));
		assertThat(queue.queuedChars()).isEqualTo(3);
		queue.complete();
		assertThat(queue.started).hasSize(2);
		assertThat(queue.queuedChars()).isZero();
	}

	@Test
	void batchIsBoundedInFrames() {
		ManualQueue queue = new ManualQueue(10_000, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("first");
		for (int i = 0; i < 100; i++) {
			queue.send(Integer.toString(i));
		}
		queue.complete();
		queue.complete();
		assertThat(queue.started).extracting(List::size).containsExactly(1, 64, 36);
	}

	@Test
	void closeWaitsForTheQueuedFrames() {
		ManualQueue queue = new ManualQueue(1000, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("a");
		queue.send("b");
		queue.close(1000, "bye");
		queue.send("dropped");
		assertThat(this.events.closes).isEmpty();
		queue.complete();
		assertThat(this.events.closes).isEmpty();
		queue.complete();
		assertThat(queue.started).containsExactly(List.of("a"), List.of("b"));
		assertThat(this.events.closes).containsExactly("1000 bye");
	}

	@Test
	void passingTheBufferLimitDropsTheQueueAndReportsOnce() {
		ManualQueue queue = new ManualQueue(10, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("123456");
		queue.send("7890");
		queue.send("x");
		queue.send("y");
		assertThat(this.events.limits).containsExactly("BUFFER 11");
		queue.complete();
		assertThat(queue.started).containsExactly(List.of("123456"));
	}

	@Test
	void frameAloneInTheQueuePassesWhateverItsSize() {
		ManualQueue queue = new ManualQueue(10, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("a frame far longer than the limit");
		assertThat(queue.started).hasSize(1);
		assertThat(this.events.limits).isEmpty();
	}

	@Test
	void writeOutlastingTheTimeLimitIsReportedOnTheNextSend() {
		ManualQueue queue = new ManualQueue(1000, 0, this.events);
		queue.send("a");
		queue.send("b");
		assertThat(this.events.limits).containsExactly("TIME 2");
	}

	@Test
	void idleQueueWritesAPairInOneWriteAndCountsIt() {
		ManualQueue queue = new ManualQueue(1000, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("ab", "cde");
		assertThat(queue.started).containsExactly(List.of("ab", "cde"));
		assertThat(queue.queuedChars()).isEqualTo(5);
		queue.complete();
		assertThat(queue.queuedChars()).isZero();
		queue.send("f");
		assertThat(queue.started).containsExactly(List.of("ab", "cde"), List.of("f"));
	}

	@Test
	void idlePairPastTheBufferLimitIsReported() {
		ManualQueue queue = new ManualQueue(4, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.send("abc", "def");
		assertThat(queue.started).isEmpty();
		assertThat(this.events.limits).containsExactly("BUFFER 6");
		queue.send("g");
		assertThat(queue.started).isEmpty();
	}

	@Test
	void frameSentWhileAnInlineWriteRunsFollowsIt() {
		ReentrantQueue queue = new ReentrantQueue(this.events);
		queue.send("a");
		assertThat(queue.written).containsExactly("a", "from inside a", "b");
	}

	@Test
	void closeOfAnIdleQueueClosesAtOnceAndRefusesLaterFrames() {
		ManualQueue queue = new ManualQueue(1000, TimeUnit.SECONDS.toNanos(10), this.events);
		queue.close(1000, "bye");
		queue.send("dropped");
		queue.send("dropped", "too");
		assertThat(queue.started).isEmpty();
		assertThat(this.events.closes).containsExactly("1000 bye");
	}

	@Test
	void queueThatWritesElsewhereNeverWritesOnTheSender() {
		DeferredQueue queue = new DeferredQueue(this.events);
		queue.send("a");
		queue.send("b", "c");
		assertThat(queue.written).isEmpty();
		assertThat(queue.drains).hasSize(1);
		queue.drains.remove(0).run();
		assertThat(queue.written).containsExactly("a", "b", "c");
	}

	@Test
	void concurrentSendersLoseNoFrameAndNeverWriteTwoAtOnce() throws InterruptedException {
		InlineQueue queue = new InlineQueue(this.events);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		CountDownLatch done = new CountDownLatch(4);
		for (int t = 0; t < 4; t++) {
			int thread = t;
			pool.execute(() -> {
				for (int i = 0; i < 10_000; i++) {
					queue.send(thread + ":" + i);
				}
				done.countDown();
			});
		}
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		pool.shutdown();
		assertThat(queue.written).hasSize(40_000);
		assertThat(queue.overlapped).isFalse();
		for (int t = 0; t < 4; t++) {
			String prefix = t + ":";
			List<String> own = queue.written.stream().filter((frame) -> frame.startsWith(prefix)).toList();
			for (int i = 0; i < own.size(); i++) {
				assertThat(own.get(i)).isEqualTo(prefix + i);
			}
		}
	}

	@Test
	void concurrentSendersOfSinglesAndPairsLoseNothingOverManyIdleMoments() throws InterruptedException {
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 20; round++) {
				InlineQueue queue = new InlineQueue(this.events);
				CountDownLatch done = new CountDownLatch(4);
				for (int t = 0; t < 4; t++) {
					int thread = t;
					pool.execute(() -> {
						for (int i = 0; i < 2_000; i += 3) {
							queue.send(thread + ":" + i);
							queue.send(thread + ":" + (i + 1), thread + ":" + (i + 2));
							if (i % 64 == 0) {
								// Lets the queue go idle now and then.
								Thread.yield();
							}
						}
						done.countDown();
					});
				}
				assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
				assertThat(queue.overlapped).isFalse();
				for (int t = 0; t < 4; t++) {
					String prefix = t + ":";
					List<String> own = queue.written.stream().filter((frame) -> frame.startsWith(prefix)).toList();
					assertThat(own).hasSize(2_001);
					for (int i = 0; i < own.size(); i++) {
						assertThat(own.get(i)).isEqualTo(prefix + i);
					}
				}
			}
		}
		finally {
			pool.shutdown();
		}
	}

	static final class Events implements OutboundQueue.Listener {

		final List<String> limits = new CopyOnWriteArrayList<>();

		final List<String> closes = new CopyOnWriteArrayList<>();

		@Override
		public void limitExceeded(OutboundQueue.SendLimit limit, long queued) {
			this.limits.add(limit + " " + queued);
		}

		@Override
		public void closeSocket(int code, String reason, boolean aborted) {
			this.closes.add(code + " " + reason);
		}

	}

	// Every write stays in progress until the test completes it.
	static final class ManualQueue extends OutboundQueue {

		final List<List<String>> started = new ArrayList<>();

		ManualQueue(long bufferLimit, long timeLimitNanos, Listener listener) {
			super(bufferLimit, timeLimitNanos, listener);
		}

		@Override
		void scheduleDrain() {
			drain();
		}

		@Override
		boolean write(List<String> batch) {
			this.started.add(List.copyOf(batch));
			return false;
		}

		void complete() {
			written();
			drain();
		}

	}

	// No limits; records what is written; drains on the sending thread unless told not
	// to.
	abstract static class UnlimitedQueue extends OutboundQueue {

		final List<String> written = new ArrayList<>();

		UnlimitedQueue(Listener listener) {
			super(Long.MAX_VALUE, Long.MAX_VALUE, listener);
		}

		@Override
		void scheduleDrain() {
			drain();
		}

	}

	// Completes every write at once; its first write sends two more frames from inside
	// the write, as a completion callback may.
	static final class ReentrantQueue extends UnlimitedQueue {

		ReentrantQueue(Listener listener) {
			super(listener);
		}

		@Override
		boolean write(List<String> batch) {
			boolean first = this.written.isEmpty();
			this.written.addAll(batch);
			if (first) {
				send("from inside a");
				send("b");
			}
			written();
			return true;
		}

	}

	// Writes only on a drain the test runs, as ExecutorQueue does on its executor.
	static final class DeferredQueue extends UnlimitedQueue {

		final List<Runnable> drains = new ArrayList<>();

		DeferredQueue(Listener listener) {
			super(listener);
		}

		@Override
		boolean writesOnSendingThread() {
			return false;
		}

		@Override
		void scheduleDrain() {
			this.drains.add(this::drain);
		}

		@Override
		boolean write(List<String> batch) {
			this.written.addAll(batch);
			written();
			return true;
		}

	}

	// Every write completes at once; records whether two ever ran together.
	static final class InlineQueue extends UnlimitedQueue {

		volatile boolean writing;

		volatile boolean overlapped;

		InlineQueue(Listener listener) {
			super(listener);
		}

		@Override
		boolean write(List<String> batch) {
			if (this.writing) {
				this.overlapped = true;
			}
			this.writing = true;
			this.written.addAll(batch);
			written();
			this.writing = false;
			return true;
		}

	}

}
