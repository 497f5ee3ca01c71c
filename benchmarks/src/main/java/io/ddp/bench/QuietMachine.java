package io.ddp.bench;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Keeps measurements clear of other processes' CPU: waits for the machine to go quiet
 * before a measurement and measures again when others took CPU during it, within a time
 * budget for the whole run (--quiet-budget).
 */
final class QuietMachine {

	private final RunSettings settings;

	private final Results results;

	/**
	 * Seconds left for waiting on a busy machine and for measuring again (--quiet-budget,
	 * whole run).
	 */
	private double quietBudget = -1;

	QuietMachine(RunSettings settings, Results results) {
		this.settings = settings;
		this.results = results;
	}

	/**
	 * Runs a measurement again (up to --retries times) when other processes took CPU
	 * during it, and keeps the attempt least disturbed by them. Waiting and retrying stop
	 * once --quiet-budget seconds have been spent on them, so a run on a busy machine
	 * stays bounded.
	 * @param scenario one measurement
	 * @return the least disturbed attempt
	 * @throws Exception from the measurement
	 */
	Row measured(Callable<Row> scenario) throws Exception {
		if (this.quietBudget < 0) {
			this.quietBudget = this.settings.doubleOpt("quiet-budget", "180");
		}
		int retries = this.settings.intOpt("retries", "2");
		double limit = this.settings.doubleOpt("max-other-cores", "0.25");
		Row best = null;
		for (int attempt = 0; attempt <= retries; attempt++) {
			long t0 = System.nanoTime();
			if (attempt > 0 || this.quietBudget > 0) {
				waitQuiet();
			}
			Row row = scenario.call();
			if (attempt > 0) {
				this.quietBudget -= (System.nanoTime() - t0) / 1e9;
			}
			if (best == null || row.otherCores() < best.otherCores()) {
				best = row;
			}
			if (best.otherCores() <= limit || this.quietBudget <= 0) {
				break;
			}
			if (attempt < retries) {
				System.out.println(String.format(Locale.ROOT,
						"   other processes took %.2f cores during the measurement: measuring again",
						row.otherCores()));
			}
		}
		if (best.otherCores() > 0.15) {
			this.results.note(String.format(Locale.ROOT,
					"%s %s: %.2f cores were busy with other processes during the measurement", best.target(),
					best.scenario(), best.otherCores()));
		}
		return best;
	}

	/**
	 * Waits (at most --quiet-wait seconds, within the budget) until the machine is idle
	 * apart from our servers.
	 */
	private void waitQuiet() throws InterruptedException {
		double maxWait = Math.min(this.settings.intOpt("quiet-wait", "60"), Math.max(0, this.quietBudget));
		double limit = this.settings.doubleOpt("max-other-cores", "0.25");
		long start = System.nanoTime();
		long deadline = start + (long) (maxWait * 1e9);
		boolean told = false;
		while (true) {
			long[] a = Cpu.systemTicks();
			Thread.sleep(500);
			long[] b = Cpu.systemTicks();
			double busy = (b[0] - a[0]) / (double) Cpu.HZ * 2;
			if (busy <= limit || System.nanoTime() > deadline) {
				if (busy > limit) {
					System.out.println(
							String.format(Locale.ROOT, "   machine still busy (%.2f cores), measuring anyway", busy));
				}
				break;
			}
			if (!told) {
				System.out.println(
						String.format(Locale.ROOT, "   waiting for the machine to go quiet (%.2f cores busy)", busy));
				told = true;
			}
		}
		this.quietBudget -= Math.max(0, (System.nanoTime() - start) / 1e9 - 0.5);
	}

}
