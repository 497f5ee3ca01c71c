package io.ddp.bench;

import java.util.List;
import java.util.Map;

/**
 * Session establishment: open a WebSocket, connect, subscribe, wait for ready (or nosub),
 * close; with a fixed number of sessions in flight.
 */
final class SessionsScenario {

	private final RunSettings settings;

	private final QuietMachine quiet;

	SessionsScenario(RunSettings settings, QuietMachine quiet) {
		this.settings = settings;
		this.quiet = quiet;
	}

	/**
	 * Measure, again if other processes disturbed the measurement.
	 */
	Row run(String target, TargetServer server, String url, boolean ddp, int inflight, int processes) throws Exception {
		return this.quiet.measured(() -> once(target, server, url, ddp, inflight, processes,
				Math.max(2, this.settings.warmup()), this.settings.measure()));
	}

	/**
	 * Measure once; with {@code measureSeconds} 0 it only warms the server up.
	 * @return the row, or {@code null} when nothing was measured
	 */
	Row once(String target, TargetServer server, String url, boolean ddp, int inflight, int processes, int warm,
			int measureSeconds) throws Exception {
		System.out.println("-- " + this.settings.elapsed() + " sessions, " + inflight + " in flight: " + target);
		int threads = this.settings.intOpt("sessions-threads", "2");
		int seconds = warm + measureSeconds + 60;
		long maxSessions = Long.parseLong(this.settings.opt("max-sessions", "40000"));
		try (Generators gens = Generators.start(this.settings.java(), this.settings.genClasspath(), processes,
				i -> List.of("--mode", "sessions", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(inflight / processes), "--threads", Integer.toString(threads), "--max-calls",
						Long.toString(maxSessions / processes), "--max-seconds", Integer.toString(seconds),
						"--sub-name", "items", "--sub-params", "[1]"),
				this.settings.loadgenLog())) {
			gens.expect("READY", 30);
			gens.send("GO");
			Thread.sleep(warm * 1000L);
			CpuSnapshot before = new CpuSnapshot(server.pid(), gens);
			gens.send("MEASURE");
			Thread.sleep(measureSeconds * 1000L);
			gens.send("STOP");
			CpuSnapshot after = new CpuSnapshot(server.pid(), gens);
			List<Map<String, String>> results = gens.expect("RESULT", 30);
			if (measureSeconds == 0) {
				Thread.sleep(1000);
				return null;
			}
			String extra = ddp
					? ("ready " + Generators.sum(results, "ready") + ", nosub " + Generators.sum(results, "nosub")
							+ ", failed " + Generators.sum(results, "setupErrors"))
					: "failed " + Generators.sum(results, "setupErrors");
			// let closing sockets drain before the next scenario
			Thread.sleep(1000);
			return Row.from(target, inflight + " in flight" + (processes > 1 ? " (" + processes + " procs)" : ""),
					results, before, after, extra);
		}
	}

}
