package io.ddp.bench;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/**
 * Fan-out: N subscribers share one publication and one caller bumps one field of one
 * document, one write at a time; the delivery latency over all receivers and the server's
 * CPU per delivered frame.
 */
final class FanoutScenario {

	private final RunSettings settings;

	private final Results results;

	FanoutScenario(RunSettings settings, Results results) {
		this.settings = settings;
		this.results = results;
	}

	/**
	 * Measure one fan-out.
	 * @param target the label in the report
	 * @param pid the server process to read CPU from
	 * @param url the server's fan-out WebSocket URL
	 * @param subscribers how many subscribers to open
	 * @return the row, or {@code null} when no subscriber or no caller got ready
	 */
	FanoutRow run(String target, long pid, String url, int subscribers) throws Exception {
		int writes = this.settings.intOpt("fanout-writes", "20");
		int warmWrites = this.settings.intOpt("fanout-warm-writes", "20");
		int spacing = this.settings.intOpt("fanout-spacing-ms", "300");
		int processes = subscribers >= 2 ? 2 : 1;
		int seconds = 170;
		System.out.println("-- " + this.settings.elapsed() + " fan-out, " + subscribers + " subscribers, " + writes
				+ " writes: " + target);
		Path log = this.settings.loadgenLog();
		String java = this.settings.java();
		String cp = this.settings.genClasspath();
		try (Generators subs = Generators.start(java, cp, processes,
				i -> List.of("--mode", "fanout", "--url", url, "--connections",
						Integer.toString(subscribers / processes + (i < subscribers % processes ? 1 : 0)), "--inflight",
						"200", "--threads", "1", "--max-seconds", Integer.toString(seconds)),
				log);
				Generators caller = Generators.start(java, cp, 1,
						i -> List.of("--mode", "fanout-caller", "--url", url, "--writes", Integer.toString(writes),
								"--warm-writes", Integer.toString(warmWrites), "--spacing-ms",
								Integer.toString(spacing), "--max-seconds", Integer.toString(seconds)),
						log)) {
			long ready;
			try {
				ready = Generators.sum(subs.expect("READY", 150), "ready");
			}
			catch (IllegalStateException ex) {
				// A generator whose sockets did not all get ready: the row is left out,
				// the rest of the run goes on.
				this.results.note(target + " fan-out to " + subscribers + ": not measured, " + ex.getMessage());
				System.out.println("   not measured: " + ex.getMessage());
				return null;
			}
			if (ready < subscribers) {
				this.results.note(target + " fan-out: only " + ready + " of " + subscribers
						+ " subscriptions reached ready; measured with " + ready);
			}
			if (ready == 0) {
				return null;
			}
			if (Generators.sum(caller.expect("READY", 30), "ready") < 1) {
				this.results.note(target + " fan-out: the caller session did not connect");
				return null;
			}
			caller.send("WARM");
			caller.expect("WARMED", warmWrites * (spacing / 1000 + 12) + 30);
			waitChanged(subs, ready * warmWrites, 15);
			// the server's idle CPU rate with these sessions open (heartbeats), to
			// subtract
			long i0 = Cpu.processNanos(pid);
			long ti0 = System.nanoTime();
			Thread.sleep(2000);
			double idleRate = (Cpu.processNanos(pid) - i0) / (double) (System.nanoTime() - ti0);
			// The runner drives the writes one at a time: CPU is read just before each
			// write and again once every receiver has its changed frame, so the CPU
			// figure covers the delivery bursts (send to last delivery, plus up to ~5 ms
			// of polling), not the pauses between them.
			long burstCpu = 0;
			long burstWall = 0;
			long gen0 = subs.cpuTicks() + caller.cpuTicks();
			long all0 = System.nanoTime();
			int ok = 0;
			long received = 0;
			for (int k = 0; k < writes; k++) {
				long c0 = Cpu.processNanos(pid);
				long t0 = System.nanoTime();
				caller.send("ONE");
				ok += Integer.parseInt(caller.expect("DONE", 20).get(0).getOrDefault("ok", "0"));
				received = waitChanged(subs, ready * (warmWrites + k + 1), 10);
				burstWall += System.nanoTime() - t0;
				burstCpu += Cpu.processNanos(pid) - c0;
				Thread.sleep(spacing);
			}
			long gen1 = subs.cpuTicks() + caller.cpuTicks();
			double allWall = (System.nanoTime() - all0) / 1e9;
			long expectedAll = ready * (warmWrites + writes);
			Map<String, String> done = Map.of("ok", Integer.toString(ok));
			subs.send("STOP");
			List<Map<String, String>> results = subs.expect("RESULT", 30);
			List<Histogram> measured = perWrite(results);
			measured = measured.subList(Math.min(warmWrites, measured.size()), measured.size());
			double[] p50 = new double[measured.size()];
			double[] p99 = new double[measured.size()];
			double[] last = new double[measured.size()];
			long short_ = 0;
			for (int k = 0; k < measured.size(); k++) {
				Histogram h = measured.get(k);
				p50[k] = h.getValueAtPercentile(50);
				p99[k] = h.getValueAtPercentile(99);
				last[k] = h.getMaxValue();
				short_ += Math.max(0, ready - h.getTotalCount());
			}
			long frames = ready * writes;
			long missing = expectedAll - Generators.sum(results, "changed") + Generators.sum(results, "bad");
			double wall = burstWall / 1e9;
			double cpuSec = burstCpu / 1e9;
			double cpuCorrected = Math.max(0, cpuSec - idleRate * wall);
			double medianLast = median(last);
			String extra = "writes answered " + done.getOrDefault("ok", "?") + "/" + writes + ", per-write shortfall "
					+ short_ + ", lost sessions " + Generators.sum(results, "lost")
					+ String.format(Locale.ROOT,
							", burst windows %.0f ms in all, server idle rate before them %.3f cores", burstWall / 1e6,
							idleRate);
			if (measured.size() < writes) {
				extra += ", only " + measured.size() + " writes seen";
			}
			FanoutRow row = new FanoutRow(target, subscribers, ready, measured.size(), median(p50), median(p99),
					medianLast, Arrays.stream(last).max().orElse(0), medianLast > 0 ? ready / (medianLast / 1e6) : 0,
					cpuCorrected * 1e6 / frames, cpuSec * 1e6 / frames, cpuSec / wall,
					(gen1 - gen0) / (double) Cpu.HZ / allWall, expectedAll, received, missing, extra);
			System.out.println(String.format(Locale.ROOT,
					"   %d ready; per write (median of %d): p50 %.0f us, p99 %.0f us, last %.0f us (worst %.0f); %,.0f frames/s; "
							+ "server %.2f us/frame (raw %.2f), %.2f cores; generators %.2f cores; frames %d/%d, missing %d; %s",
					ready, row.writes(), row.p50us(), row.p99us(), row.lastUs(), row.worstLastUs(),
					row.framesPerSecond(), row.cpuUsPerFrame(), row.cpuUsPerFrameRaw(), row.serverCores(),
					row.genCores(), received, expectedAll, missing, extra));
			return row;
		}
		finally {
			Thread.sleep(2000);
		}
	}

	/**
	 * The receivers' latency histograms merged per write, in write order (warm-up writes
	 * first).
	 */
	private static List<Histogram> perWrite(List<Map<String, String>> results) throws DataFormatException {
		Map<Long, Histogram> perWrite = new TreeMap<>();
		for (Map<String, String> r : results) {
			String w = r.getOrDefault("w", "");
			for (String part : w.isEmpty() ? new String[0] : w.split(",")) {
				int colon = part.indexOf(':');
				Histogram h = Histogram.decodeFromCompressedByteBuffer(
						ByteBuffer.wrap(Base64.getDecoder().decode(part.substring(colon + 1))), 0);
				perWrite.computeIfAbsent(Long.parseLong(part.substring(0, colon)), k -> new Histogram(60_000_000L, 3))
					.add(h);
			}
		}
		return new ArrayList<>(perWrite.values());
	}

	/**
	 * Polls the receivers until they have {@code expected} changed frames (or the
	 * timeout); returns the count.
	 */
	private static long waitChanged(Generators subs, long expected, int seconds) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long changed;
		while (true) {
			subs.send("STATUS");
			changed = Generators.sum(subs.expect("STATUS", 10), "changed");
			if (changed >= expected || System.nanoTime() > deadline) {
				return changed;
			}
			Thread.sleep(5);
		}
	}

	static double median(double[] values) {
		if (values.length == 0) {
			return 0;
		}
		double[] v = values.clone();
		Arrays.sort(v);
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}

}
