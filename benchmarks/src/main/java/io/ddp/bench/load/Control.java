package io.ddp.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/** State shared by the loops of one generator process. */
final class Control {

	static final int IDLE = 0;

	static final int WARM = 1;

	static final int MEASURE = 2;

	static final int STOP = 3;

	/**
	 * Phase, set by the command thread; load is generated in WARM and MEASURE, recorded
	 * in MEASURE.
	 */
	volatile int phase = IDLE;

	/**
	 * Connections ready for load (DDP {@code connected} seen, or WebSocket open for raw).
	 */
	final AtomicLong ready = new AtomicLong();

	/** Connections the server closed (or that failed) after they were ready. */
	final AtomicLong lost = new AtomicLong();

	/** Connections that failed before they were ready. */
	final AtomicLong setupErrors = new AtomicLong();

	/** Connections currently open. */
	final AtomicLong open = new AtomicLong();

	/** DDP pings answered. */
	final AtomicLong pings = new AtomicLong();

	/** Fan-out: {@code changed} frames received. */
	final AtomicLong changed = new AtomicLong();

	private final AtomicLong reported = new AtomicLong();

	/** Prints the first few problems to stderr, counts the rest. */
	void report(String what) {
		if (this.reported.incrementAndGet() <= 5) {
			System.err.println("[loadgen] " + what);
		}
	}

	boolean running() {
		int p = this.phase;
		return p == WARM || p == MEASURE;
	}

}
