package io.ddp.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Propagation (opt-in section {@code propagation}, README "Propagation"): a method on
 * instance A updates a document, a subscriber on instance B receives the {@code changed}
 * frame; both instances on one PostgreSQL with the store of {@code io.ddp.spring.jdbc}.
 * Measured paced (open loop, {@code --prop-rate} writes/s: the latency) and closed-loop
 * ({@code --prop-writers} sessions with {@code --prop-inflight} writes in flight each:
 * the writes/s one instance sustains), then the same two on one instance with the
 * in-memory store, the baseline of the same run.
 */
final class PropagationScenario {

	private static final String PG_APP_ARGS = "--spring.autoconfigure.exclude=";

	private final RunSettings settings;

	private final ServerProcesses servers;

	private final Results results;

	PropagationScenario(RunSettings settings, ServerProcesses servers, Results results) {
		this.settings = settings;
		this.servers = servers;
		this.results = results;
	}

	/**
	 * Run the whole section: in-memory baseline, then PostgreSQL (probes, paced,
	 * closed-loop). Every process it starts is stopped before it returns.
	 * @param port the first of the three ports it may use
	 * @throws Exception when a server or PostgreSQL does not start
	 */
	void run(int port) throws Exception {
		RunSettings s = this.settings;
		int docs = s.intOpt("prop-docs", "1000");
		List<String> seed = new ArrayList<>(List.of("--bench.propagation.seed=" + docs));
		// e.g. --spring.task.execution.pool.core-size=32: methods run on Boot's
		// application task executor (8 threads by default)
		List<String> extra = List.of(s.opt("prop-server-args", "").trim().split("\\s+"))
			.stream()
			.filter((arg) -> !arg.isEmpty())
			.toList();
		seed.addAll(extra);
		String stores = s.opt("prop-stores", "memory,postgres");
		if (stores.contains("memory")) {
			Variant memory = new Variant("prop-memory", "tomcat", gcLog("prop-memory"), seed, "in-memory store");
			TargetServer m = this.servers.start(memory, port);
			try {
				measureBoth("in-memory", "one instance", m, m, -1);
			}
			finally {
				this.servers.stop(m);
			}
		}
		if (!stores.contains("postgres")) {
			return;
		}
		try (BenchPostgres postgres = BenchPostgres.start(s.logDir(), s.opt("pg-settings", ""))) {
			String url = postgres.createDatabase("bench");
			System.out.println("== PostgreSQL " + postgres.version() + " on " + url + " (pid " + postgres.pid()
					+ ", log " + s.logDir().resolve("postgres.log") + " once stopped)");
			this.results.note("propagation: " + postgres.version() + ", settings: PostgreSQL's defaults"
					+ (s.opt("pg-settings", "").isBlank() ? "" : " and " + s.opt("pg-settings", ""))
					+ "; servers A and B with ddp.jdbc.enabled=true, Boot's default Hikari pool (10) and application "
					+ "task executor (8 threads, runs the methods)"
					+ (extra.isEmpty() ? "" : "; server arguments " + String.join(" ", extra)));
			List<String> common = new ArrayList<>(List.of(PG_APP_ARGS, "--spring.datasource.url=" + url,
					"--spring.datasource.username=postgres", "--ddp.jdbc.enabled=true",
					"--ddp.jdbc.initialize-schema=always", "--ddp.jdbc.login-tokens.enabled=false"));
			common.addAll(extra);
			List<String> argsA = new ArrayList<>(common);
			argsA.add(seed.get(0));
			TargetServer a = this.servers.start(new Variant("prop-pg-a", "tomcat", gcLog("prop-pg-a"), argsA, "A"),
					port + 1);
			TargetServer b = null;
			try {
				b = this.servers.start(new Variant("prop-pg-b", "tomcat", gcLog("prop-pg-b"), common, "B"), port + 2);
				System.out.println("-- " + s.elapsed() + " propagation: PostgreSQL probes");
				this.results.postgresProbes.addAll(PostgresProbes.run(url, s.intOpt("prop-probe-rounds", "500")));
				for (PostgresProbes.Probe p : this.results.postgresProbes) {
					System.out.println(String.format(Locale.ROOT, "   %s: p50 %d us, p99 %d us", p.name(),
							p.latency().getValueAtPercentile(50), p.latency().getValueAtPercentile(99)));
				}
				measureBoth("PostgreSQL", "A -> B", a, b, postgres.pid());
			}
			finally {
				this.servers.stop(a);
				if (b != null) {
					this.servers.stop(b);
				}
			}
		}
	}

	private List<String> gcLog(String variant) {
		return List.of(GcPauses.jvmArgument(gcLogOf(variant)));
	}

	private Path gcLogOf(String variant) {
		return this.settings.logDir().resolve("gc-" + variant + ".log");
	}

	private void measureBoth(String store, String path, TargetServer writer, TargetServer subscriber, long pgPid)
			throws Exception {
		int rate = this.settings.intOpt("prop-rate", "1000");
		int inflight = this.settings.intOpt("prop-inflight", "1");
		// Fresh servers: the first measure warms them up longer, until the JIT is done
		// (with 3 s, C2 took 29% of the CPU of the measured window)
		int serverWarmup = this.settings.intOpt("prop-server-warmup", "15");
		if (rate > 0) {
			add(measure(store, path, writer, subscriber, pgPid, rate, 0, serverWarmup));
			serverWarmup = 0;
		}
		add(measure(store, path, writer, subscriber, pgPid, 0, inflight, serverWarmup));
	}

	private void add(PropagationRow row) {
		if (row != null) {
			this.results.propagationRows.add(row);
		}
	}

	private PropagationRow measure(String store, String path, TargetServer writer, TargetServer subscriber, long pgPid,
			int rate, int inflight, int serverWarmup) throws Exception {
		RunSettings s = this.settings;
		int warmup = s.intOpt("prop-warmup", "3") + serverWarmup;
		// 30 s: at 1,000/s a p99 over 10 s is its 100th slowest write, and a single
		// stall (a GC pause, a slow commit) can delay that many
		int window = s.intOpt("prop-measure", "30");
		int drain = s.intOpt("prop-drain", "10");
		int docs = s.intOpt("prop-docs", "1000");
		int writers = s.intOpt("prop-writers", "50");
		boolean paced = rate > 0;
		String load = paced ? String.format(Locale.ROOT, "%,d/s paced over %d sessions", rate, writers)
				: writers + " sessions x " + inflight + " in flight";
		// Bounded: a paced run never needs more; a closed loop that reaches it stops
		// early
		int maxWrites = paced ? rate * (warmup + window + 5) : s.intOpt("prop-max-writes", "3000000");
		System.out.println("-- " + s.elapsed() + " propagation, " + store + ", " + path + ", " + load);
		List<String> args = new ArrayList<>(List.of("--mode", "propagation", "--url", writer.baseWs() + "/websocket",
				"--sub-url", subscriber.baseWs() + "/websocket", "--docs", Integer.toString(docs), "--writers",
				Integer.toString(writers), "--max-writes", Integer.toString(maxWrites), "--drain-seconds",
				Integer.toString(drain), "--max-seconds", Integer.toString(warmup + window + drain + 90)));
		args.addAll(
				paced ? List.of("--rate", Integer.toString(rate)) : List.of("--inflight", Integer.toString(inflight)));
		try (Generators gen = Generators.start(s.java(), s.genClasspath(), 1, (i) -> args, s.loadgenLog())) {
			List<Map<String, String>> ready = gen.expect("READY", 60);
			if (Generators.sum(ready, "writers") < writers || Generators.sum(ready, "subscribers") < 1) {
				this.results.note("propagation, " + store + ", " + load
						+ ": the writer or the subscriber did not get ready (see " + s.loadgenLog() + ")");
				return null;
			}
			gen.send("GO");
			Thread.sleep(warmup * 1000L);
			boolean two = subscriber.pid() != writer.pid();
			if (s.opt("prop-gc-before-measure", "false").equals("true")) {
				// Opt-in: a full collection tenures the start-up objects a young server
				// still copies from one young collection to the next. The writes keep
				// coming meanwhile; the settling time lets the queue the full pause
				// built drain unrecorded.
				ServerProcesses.heap(writer.heapUrl(), true);
				if (two) {
					ServerProcesses.heap(subscriber.heapUrl(), true);
				}
				Thread.sleep(s.intOpt("prop-gc-settle", "3") * 1000L);
			}
			long w0 = Cpu.processNanos(writer.pid());
			long s0 = two ? Cpu.processNanos(subscriber.pid()) : 0;
			long p0 = (pgPid > 0) ? Cpu.treeTicks(pgPid) : 0;
			long g0 = gen.cpuTicks();
			long t0 = System.nanoTime();
			long wall0 = System.currentTimeMillis();
			gen.send("MEASURE");
			Thread.sleep(window * 1000L);
			gen.send("STOP");
			long wall1 = System.currentTimeMillis();
			double seconds = (System.nanoTime() - t0) / 1e9;
			double writerCores = (Cpu.processNanos(writer.pid()) - w0) / 1e9 / seconds;
			double subscriberCores = two ? (Cpu.processNanos(subscriber.pid()) - s0) / 1e9 / seconds : 0;
			double pgCores = (pgPid > 0) ? (Cpu.treeTicks(pgPid) - p0) / (double) Cpu.HZ / seconds : 0;
			double genCores = (gen.cpuTicks() - g0) / (double) Cpu.HZ / seconds;
			List<Map<String, String>> result = gen.expect("RESULT", drain + 30);
			Map<String, String> r = result.get(0);
			GcPauses writerGc = GcPauses.in(gcLogOf(writer.name()), wall0, wall1);
			GcPauses subscriberGc = two ? GcPauses.in(gcLogOf(subscriber.name()), wall0, wall1) : GcPauses.NONE;
			Histogram latency = Generators.histogram(result);
			Histogram method = Generators.histogram(List.of(Map.of("hist", r.get("mhist"))));
			long sent = Long.parseLong(r.get("sent"));
			double rateMeasured = sent / Double.parseDouble(r.get("seconds"));
			String extra = "results " + r.get("results") + " of " + sent + ", errors " + r.get("errors")
					+ ", writes not answered by the end of the drain " + r.get("unanswered") + ", changed frames seen "
					+ r.get("seen") + ", duplicates " + r.get("duplicates") + ", unexpected " + r.get("unexpected")
					+ ", sessions lost " + r.get("sessionsLost") + ", generator's worst lag behind schedule "
					+ r.get("maxLagUs") + " µs, window " + Instant.ofEpochMilli(wall0) + " to "
					+ Instant.ofEpochMilli(wall1) + ", GC pauses in it: "
					+ (two ? "writer " + writerGc + ", subscriber " + subscriberGc : writerGc)
					+ (sent >= maxWrites ? ", stopped at --prop-max-writes " + maxWrites : "");
			PropagationRow row = new PropagationRow(store, path, load, paced, rateMeasured, sent,
					Long.parseLong(r.get("results")), latency.getValueAtPercentile(50),
					latency.getValueAtPercentile(99), latency.getMaxValue(), method.getValueAtPercentile(50),
					method.getValueAtPercentile(99), Long.parseLong(r.get("seen")), Long.parseLong(r.get("lost")),
					Long.parseLong(r.get("superseded")), Long.parseLong(r.get("unanswered")), writerCores,
					subscriberCores, pgCores, genCores, extra);
			System.out.println(String.format(Locale.ROOT,
					"   %,.0f writes/s; propagation p50 %.0f us, p99 %.0f us, max %.0f us; method p50 %.0f us; "
							+ "seen %d, lost %d, superseded %d; cores: writer %.2f, subscriber %.2f, PostgreSQL %.2f, "
							+ "generator %.2f; %s",
					row.writesPerSecond(), row.p50us(), row.p99us(), row.maxUs(), row.methodP50us(), row.seen(),
					row.lost(), row.superseded(), writerCores, subscriberCores, pgCores, genCores, extra));
			return row;
		}
	}

}
