package io.ddp.spring.collection;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Delivers one change to every observer of a multiplexer, on several cores when there are
 * many: each delivery ends in a socket write, and on a large fan-out those writes, not
 * the change itself, are the work.
 * <p>
 * The observers are cut into chunks that the calling thread and up to
 * {@code parallelism - 1} helpers claim one at a time. The caller takes chunks too and
 * only waits for chunks already being delivered, so it never waits on a helper that has
 * not started: a busy or saturated executor slows a fan-out down but cannot stall it.
 * Observers that have stopped are skipped. The call returns once every observer has the
 * change, which keeps each observer's changes in order. A delivery that throws does not
 * keep the change from the other observers; the first exception is rethrown once all of
 * them are done. Different observers may be called on different threads at once; each
 * observer is called by one thread per change.
 */
final class FanOut {

	// Below this many observers, handing work to other threads costs more than it saves
	static final int PARALLEL_THRESHOLD = 512;

	// The threads finish within one chunk of each other: 32 sends are about 0.5 ms here,
	// where 128 could leave one thread alone for the last 2 ms of a 12 ms burst
	private static final int CHUNK = 32;

	private final Executor executor;

	private final int parallelism;

	FanOut(Executor executor, int parallelism) {
		this.executor = executor;
		this.parallelism = Math.max(1, parallelism);
	}

	/**
	 * The default: helpers from the common fork-join pool, up to one thread per core.
	 */
	static final FanOut COMMON_POOL = new FanOut(ForkJoinPool.commonPool(), Runtime.getRuntime().availableProcessors());

	void deliver(Observer[] observers, Consumer<Observer> delivery) {
		Chunks chunks = new Chunks(observers, delivery);
		if (observers.length < PARALLEL_THRESHOLD || this.parallelism == 1) {
			chunks.work();
			chunks.rethrow();
			return;
		}
		int helpers = Math.min(this.parallelism - 1, chunks.count - 1);
		for (int i = 0; i < helpers; i++) {
			try {
				this.executor.execute(chunks::work);
			}
			catch (RejectedExecutionException ex) {
				break;
			}
		}
		chunks.work();
		chunks.awaitClaimed();
		chunks.rethrow();
	}

	private static final class Chunks {

		private final Observer[] observers;

		private final Consumer<Observer> delivery;

		private final int count;

		private final AtomicInteger next = new AtomicInteger();

		private final CountDownLatch done;

		private final AtomicReference<@Nullable RuntimeException> failure = new AtomicReference<>();

		Chunks(Observer[] observers, Consumer<Observer> delivery) {
			this.observers = observers;
			this.delivery = delivery;
			this.count = (observers.length + CHUNK - 1) / CHUNK;
			this.done = new CountDownLatch(this.count);
		}

		void work() {
			int chunk;
			while ((chunk = this.next.getAndIncrement()) < this.count) {
				int end = Math.min(this.observers.length, (chunk + 1) * CHUNK);
				for (int i = chunk * CHUNK; i < end; i++) {
					Observer observer = this.observers[i];
					if (observer.stopped) {
						// left since the array was taken; dropped from it in batches
						continue;
					}
					try {
						this.delivery.accept(observer);
					}
					catch (RuntimeException ex) {
						this.failure.compareAndSet(null, ex);
					}
				}
				this.done.countDown();
			}
		}

		void rethrow() {
			RuntimeException ex = this.failure.get();
			if (ex != null) {
				throw ex;
			}
		}

		void awaitClaimed() {
			// Every chunk is claimed by now, each by a running thread
			boolean interrupted = false;
			while (true) {
				try {
					this.done.await();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
