package io.ddp.bench;

import java.util.List;
import java.util.Map;

/**
 * Echo calls in a closed loop: connections x calls in flight per connection, from one or
 * more load-generator processes.
 */
final class EchoScenario {

	private final RunSettings settings;

	private final QuietMachine quiet;

	EchoScenario(RunSettings settings, QuietMachine quiet) {
		this.settings = settings;
		this.quiet = quiet;
	}

	/**
	 * Measure, again if other processes disturbed the measurement.
	 */
	Row run(String target, TargetServer server, String url, boolean ddp, int connections, int inflight, int processes)
			throws Exception {
		return this.quiet.measured(() -> once(target, server, url, ddp, connections, inflight, processes,
				this.settings.warmup(), this.settings.measure()));
	}

	/**
	 * Measure once; with {@code measureSeconds} 0 it only warms the server up.
	 * @return the row, or {@code null} when nothing was measured
	 */
	Row once(String target, TargetServer server, String url, boolean ddp, int connections, int inflight, int processes,
			int warmupSeconds, int measureSeconds) throws Exception {
		String scenario = connections + " x " + inflight;
		System.out.println("-- " + this.settings.elapsed() + " echo " + scenario + ": " + target);
		int threads = this.settings.intOpt("gen-threads", "1");
		long maxCalls = Long.parseLong(this.settings.opt("max-calls", "20000000"));
		int seconds = warmupSeconds + measureSeconds + 60;
		try (Generators gens = Generators.start(this.settings.java(), this.settings.genClasspath(), processes,
				i -> List.of("--mode", "echo", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(connections / processes + (i < connections % processes ? 1 : 0)), "--inflight",
						Integer.toString(inflight), "--threads", Integer.toString(threads), "--max-calls",
						Long.toString(maxCalls / processes), "--max-seconds", Integer.toString(seconds)),
				this.settings.loadgenLog())) {
			List<Map<String, String>> ready = gens.expect("READY", 60);
			long readyCount = Generators.sum(ready, "ready");
			if (readyCount < connections) {
				throw new IllegalStateException(target + ": only " + readyCount + " of " + connections
						+ " connections ready; see " + this.settings.loadgenLog());
			}
			gens.send("GO");
			Thread.sleep(warmupSeconds * 1000L);
			CpuSnapshot before = new CpuSnapshot(server.pid(), gens);
			gens.send("MEASURE");
			Thread.sleep(measureSeconds * 1000L);
			gens.send("STOP");
			CpuSnapshot after = new CpuSnapshot(server.pid(), gens);
			List<Map<String, String>> results = gens.expect("RESULT", 30);
			if (measureSeconds == 0) {
				return null;
			}
			return Row.from(target, scenario + (processes > 1 ? " (" + processes + " procs)" : ""), results, before,
					after, "");
		}
	}

}
