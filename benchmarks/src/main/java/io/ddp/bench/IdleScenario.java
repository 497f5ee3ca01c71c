package io.ddp.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Idle sessions: the server's heap (after a full GC) per open session, on average and
 * marginally after the first 1,000; for Meteor the RSS.
 */
final class IdleScenario {

	private final RunSettings settings;

	private final Results results;

	IdleScenario(RunSettings settings, Results results) {
		this.settings = settings;
		this.results = results;
	}

	/**
	 * Open up to {@code total} idle sessions and record their memory in the results.
	 */
	void run(String target, TargetServer server, String url, boolean ddp, int total) throws Exception {
		System.out.println("-- " + this.settings.elapsed() + " idle sessions: " + target);
		boolean jvm = server.heapUrl() != null;
		long base = jvm ? ServerProcesses.heap(server.heapUrl(), true).get("used") : 0;
		int seconds = 240;
		List<Generators> groups = new ArrayList<>();
		try {
			// Stage 1: 1,000 sessions, to project the heap before risking an
			// OutOfMemoryError, and as the first point of the marginal cost (caches that
			// fill with the first connections cancel out).
			int stage1 = Math.min(1000, total);
			groups.add(startIdle(url, ddp, stage1, seconds));
			long ready1 = Generators.sum(groups.get(0).expect("READY", 120), "ready");
			long heap1 = jvm ? ServerProcesses.heap(server.heapUrl(), true).get("used") : 0;
			long rss1 = Cpu.rss(server.pid());
			int opened = stage1;
			String limited = "";
			int affordable = total;
			if (jvm && total > stage1) {
				double perSession = (heap1 - base) / (double) Math.max(1, ready1);
				affordable = (int) Math.min(total, (1.6e9 - base) / Math.max(1, perSession));
				if (affordable < total) {
					limited = " (stopped: " + total + " would not fit the 2 GiB heap)";
				}
			}
			int rest = Math.max(0, affordable - stage1);
			int procs = rest > 9000 ? 2 : 1;
			for (int p = 0; p < procs && rest > 0; p++) {
				int share = rest / procs + (p < rest % procs ? 1 : 0);
				groups.add(startIdle(url, ddp, share, seconds));
				opened += share;
			}
			for (int g = 1; g < groups.size(); g++) {
				Generators.sum(groups.get(g).expect("READY", 180), "ready");
			}
			Thread.sleep(2000);
			long open = 0;
			for (Generators g : groups) {
				g.send("STATUS");
			}
			for (Generators g : groups) {
				open += Generators.sum(g.expect("STATUS", 10), "open");
			}
			long heapN = jvm ? ServerProcesses.heap(server.heapUrl(), true).get("used") : 0;
			long rssN = Cpu.rss(server.pid());
			long more = Math.max(1, open - ready1);
			String[] row;
			if (jvm) {
				double avgKiB = (heapN - base) / 1024.0 / Math.max(1, open);
				double marginalKiB = (heapN - heap1) / 1024.0 / more;
				double mib10k = (open == 10_000) ? (heapN - base) / 1048576.0 : avgKiB * 10_000 / 1024.0;
				this.results.idleHeapMiB.put(target, mib10k);
				row = new String[] { target, open + " of " + opened + limited,
						String.format(Locale.ROOT, "%.0f MiB", (heapN - base) / 1048576.0),
						String.format(Locale.ROOT, "%.1f KiB", avgKiB),
						String.format(Locale.ROOT, "%.1f KiB", marginalKiB),
						String.format(Locale.ROOT, "%.0f MiB%s", mib10k, open == 10_000 ? "" : " (projected)"), "" };
			}
			else {
				row = new String[] { target, open + " of " + opened, "n/a (Node)", "", "", "",
						String.format(Locale.ROOT, "%.1f KiB", (rssN - rss1) / 1024.0 / more) };
			}
			this.results.idleRows.add(row);
			System.out.println("   " + Arrays.toString(row));
		}
		finally {
			for (Generators g : groups) {
				g.close();
			}
			Thread.sleep(1000);
		}
	}

	private Generators startIdle(String url, boolean ddp, int count, int seconds) throws IOException {
		return Generators.start(this.settings.java(), this.settings.genClasspath(), 1,
				i -> List.of("--mode", "idle", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(count), "--inflight", "200", "--threads", "1", "--max-seconds",
						Integer.toString(seconds)),
				this.settings.loadgenLog());
	}

}
