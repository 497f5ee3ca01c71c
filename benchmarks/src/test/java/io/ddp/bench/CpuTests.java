package io.ddp.bench;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Cpu#processNanos} on this very JVM: a thread that burns CPU and ends between two
 * readings still counts (its exit used to take its whole CPU time out of the sum, and a
 * fan-out row once read negative).
 */
class CpuTests {

	@Test
	void threadThatEndsBetweenReadingsStillCounts() throws InterruptedException {
		long pid = ProcessHandle.current().pid();
		long[] burned = new long[1];
		Thread burner = new Thread(() -> {
			long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
			long spins = 0;
			while (System.nanoTime() < end) {
				spins++;
			}
			burned[0] = spins;
		});
		burner.start();
		// Read while it runs, so the process knows the thread.
		Thread.sleep(200);
		long before = Cpu.processNanos(pid);
		burner.join();
		long after = Cpu.processNanos(pid);
		assertThat(burned[0]).isPositive();
		assertThat(before).isPositive();
		// Its 200 ms or so before the first reading are still in the sum after it ended.
		assertThat(after).isGreaterThanOrEqualTo(before);
		long later = Cpu.processNanos(pid);
		assertThat(later).isGreaterThanOrEqualTo(after);
	}

	@Test
	void goneProcessReadsMinusOne() {
		assertThat(Cpu.processNanos(Long.MAX_VALUE)).isEqualTo(-1);
	}

}
