package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import io.ddp.spring.server.publication.DocumentSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link FanOut}.
 */
class FanOutTests {

	@Test
	void largeFanOutReachesEveryObserverOnceInOrderUsingHelpers() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(3);
		try {
			FanOut fanOut = new FanOut(pool, 4);
			Counting[] observers = observers(5000);
			for (int change = 1; change <= 50; change++) {
				int expected = change;
				fanOut.deliver(observers, (observer) -> ((Counting) observer).see(expected));
			}
			Set<String> threads = ConcurrentHashMap.newKeySet();
			for (Counting observer : observers) {
				assertThat(observer.seen).hasSize(50);
				assertThat(observer.outOfOrder).isZero();
				threads.addAll(observer.threads);
			}
			assertThat(threads).hasSizeGreaterThan(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void smallFanOutStaysOnTheCallingThread() {
		FanOut fanOut = new FanOut((task) -> {
			throw new AssertionError("no helper expected");
		}, 4);
		Counting[] observers = observers(FanOut.PARALLEL_THRESHOLD - 1);
		fanOut.deliver(observers, (observer) -> ((Counting) observer).see(1));
		for (Counting observer : observers) {
			assertThat(observer.threads).containsExactly(Thread.currentThread().getName());
		}
	}

	@Test
	void callerDeliversEverythingWhenHelpersNeverRun() {
		List<Runnable> parked = new ArrayList<>();
		FanOut fanOut = new FanOut(parked::add, 4);
		Counting[] observers = observers(3000);
		fanOut.deliver(observers, (observer) -> ((Counting) observer).see(1));
		assertThat(parked).isNotEmpty();
		for (Counting observer : observers) {
			assertThat(observer.seen).containsExactly(1);
		}
		// A helper that starts late finds nothing left to do
		parked.forEach(Runnable::run);
		for (Counting observer : observers) {
			assertThat(observer.seen).containsExactly(1);
		}
	}

	@Test
	void rejectingExecutorFallsBackToTheCaller() {
		FanOut fanOut = new FanOut((task) -> {
			throw new RejectedExecutionException("full");
		}, 4);
		Counting[] observers = observers(2000);
		fanOut.deliver(observers, (observer) -> ((Counting) observer).see(7));
		for (Counting observer : observers) {
			assertThat(observer.seen).containsExactly(7);
		}
	}

	@Test
	void failingDeliveryDoesNotKeepTheChangeFromOthers() throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			FanOut fanOut = new FanOut(pool, 3);
			Counting[] observers = observers(1000);
			Counting failing = observers[10];
			assertThatIllegalStateException().isThrownBy(() -> fanOut.deliver(observers, (observer) -> {
				if (observer == failing) {
					throw new IllegalStateException("boom");
				}
				((Counting) observer).see(1);
			})).withMessage("boom");
			for (Counting observer : observers) {
				assertThat(observer.seen).containsExactly((observer != failing) ? new Integer[] { 1 } : new Integer[0]);
			}
			Counting[] few = observers(3);
			assertThatIllegalStateException().isThrownBy(() -> fanOut.deliver(few, (observer) -> {
				if (observer == few[0]) {
					throw new IllegalStateException("first");
				}
				((Counting) observer).see(1);
			})).withMessage("first");
			assertThat(few[1].seen).containsExactly(1);
			assertThat(few[2].seen).containsExactly(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static Counting[] observers(int count) {
		Counting[] observers = new Counting[count];
		for (int i = 0; i < count; i++) {
			observers[i] = new Counting();
		}
		return observers;
	}

	private static final class Counting extends Observer {

		final List<Integer> seen = new ArrayList<>();

		final Set<String> threads = ConcurrentHashMap.newKeySet();

		int outOfOrder;

		// Each observer is called by one thread per change, and changes do not overlap
		synchronized void see(int change) {
			if (!this.seen.isEmpty() && this.seen.get(this.seen.size() - 1) != change - 1) {
				this.outOfOrder++;
			}
			this.seen.add(change);
			this.threads.add(Thread.currentThread().getName());
		}

		@Override
		void added(String wireId, DocumentSnapshot fields) {
		}

		@Override
		void changed(String wireId, DocumentSnapshot fields) {
		}

		@Override
		void removed(String wireId) {
		}

	}

}
