package io.ddp.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Counters and a latency histogram (nanoseconds) of one loop; written by that loop's
 * thread only.
 */
final class LoopStats {

	/** Up to 60 s, 3 significant digits. */
	final Histogram latency = new Histogram(60_000_000_000L, 3);

	long completed;

	long errors;

	long ready;

	long nosub;

	long sent;

	void reset() {
		this.latency.reset();
		this.completed = 0;
		this.errors = 0;
		this.ready = 0;
		this.nosub = 0;
	}

	void record(long nanos) {
		this.latency.recordValue(Math.min(nanos, 60_000_000_000L));
		this.completed++;
	}

}
