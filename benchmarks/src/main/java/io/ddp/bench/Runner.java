package io.ddp.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * Runs the whole benchmark (started by run.sh): starts the benchmark server on each
 * container, drives load-generator processes through every scenario, reads CPU from /proc
 * and heap from the server, prints the tables and ratios and writes them to a Markdown
 * file. See README.md.
 */
public final class Runner {

	private final Map<String, String> options;

	private final String java;

	private final String genClasspath;

	private final int warmup;

	private final int measure;

	private final Path logDir;

	private final StringBuilder report = new StringBuilder();

	private final List<Row> echoRows = new ArrayList<>();

	private final List<Row> sessionRows = new ArrayList<>();

	private final List<String[]> idleRows = new ArrayList<>();

	private final List<String> checks = new ArrayList<>();

	private final List<String> notes = new ArrayList<>();

	private final Map<String, Double> idleHeapMiB = new LinkedHashMap<>();

	private final List<FanoutRow> fanoutRows = new ArrayList<>();

	private Runner(Map<String, String> options) {
		this.options = options;
		this.java = opt("java", ProcessHandle.current().info().command().orElse("java"));
		this.genClasspath = opt("gen-cp", System.getProperty("java.class.path"));
		this.warmup = Integer.parseInt(opt("warmup", "2"));
		this.measure = Integer.parseInt(opt("measure", "5"));
		this.logDir = Path.of(opt("log-dir", "target/bench-logs"));
	}

	private String opt(String name, String fallback) {
		String v = this.options.get(name);
		return (v == null || v.isEmpty()) ? fallback : v;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		new Runner(options).run();
	}

	/** One measured scenario. */
	record Row(String target, String scenario, double rate, double p50us, double p99us, double serverCpuUsPerOp,
			double serverCores, double genCores, double otherCores, long errors, String extra) {
	}

	/** A started benchmark server (our JVM) or an external one (Meteor). */
	record Server(String name, long pid, Process process, String baseWs, String heapUrl) {
	}

	/**
	 * A server configuration to measure. {@code tomcat} and {@code jetty} are the
	 * containers with their defaults; {@code tomcat-1k} is Tomcat with every
	 * per-connection buffer at 1 KiB.
	 */
	record Variant(String name, String container, List<String> jvmArgs, List<String> appArgs, String what) {

		static Variant of(String name) {
			return switch (name) {
				case "tomcat" -> new Variant(name, "tomcat", List.of(), List.of(), "Tomcat, default buffers");
				case "jetty" -> new Variant(name, "jetty", List.of(), List.of(), "Jetty, default buffers");
				case "tomcat-1k" -> new Variant(name, "tomcat", List.of(),
						List.of("--ddp.server.websocket.connection-buffer-size=1KB"),
						"Tomcat with the starter's one-line switch ddp.server.websocket.connection-buffer-size=1KB "
								+ "(WebSocket message and frame buffers, NIO socket.appReadBufSize/appWriteBufSize)");
				case "tomcat-inline" -> new Variant(name, "tomcat", List.of(), List.of("--bench.inline-executor=true"),
						"experiment, not in the default run: Tomcat, DDP session queues run on the container's socket "
								+ "thread instead of the application task executor (bench.inline-executor=true)");
				default -> throw new IllegalArgumentException(
						"unknown variant " + name + " (tomcat, tomcat-1k, jetty, tomcat-inline)");
			};
		}

	}

	private void run() throws Exception {
		Files.createDirectories(this.logDir);
		List<Variant> variants = Arrays.stream(opt("variants", "tomcat,tomcat-1k,jetty").split(","))
			.map(String::trim)
			.map(Variant::of)
			.toList();
		String sections = opt("sections", "echo,gencheck,sessions,idle");
		String meteorUrl = opt("meteor-url", "");
		long meteorPid = Long.parseLong(opt("meteor-pid", "0"));
		int port = Integer.parseInt(opt("port", "18080"));
		int idle = Integer.parseInt(opt("idle-sessions", "10000"));

		line("# ddp-spring-boot benchmark results");
		line("");
		line("- date: " + ZonedDateTime.now().withNano(0));
		line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average before start: "
				+ Cpu.loadAverage());
		line("- server JVM: " + this.java + " (" + System.getProperty("java.version") + ") "
				+ opt("server-jvm-args", defaultServerJvmArgs()));
		line("- echo scenarios: warm-up " + this.warmup + " s, then " + this.measure + " s measured; generator: "
				+ "io.ddp.bench.load.LoadGen (NIO, closed loop), 1 process with 1 thread unless the row says otherwise");
		for (Variant v : variants) {
			line("- server variant `" + v.name() + "`: " + v.what());
		}
		if (!meteorUrl.isEmpty()) {
			line("- Meteor: " + meteorUrl + " (pid " + meteorPid + ")");
		}
		else {
			line("- Meteor: not run");
		}
		line("");

		boolean first = true;
		for (Variant variant : variants) {
			Server server = startServer(variant, port++);
			try {
				String ddpUrl = server.baseWs() + "/websocket";
				String rawUrl = server.baseWs() + "/raw-echo";
				Probe probe = Probe.ddp(ddpUrl, "items", "[1]");
				boolean ddp = probe.connected && probe.echoOk;
				if (!ddp) {
					note(variant.name() + ": DDP endpoint not measured: " + probe.problem);
				}
				else if (first) {
					note("DDP probe (JDK java.net.http WebSocket client, " + variant.name()
							+ "): sub items([1]) answered `" + probe.subReply + "`; frames: `"
							+ String.join(" ", probe.frames) + "`");
				}
				boolean sessionsHere = sections.contains("sessions") && !variant.name().equals("tomcat-1k");
				int serverWarmup = Integer.parseInt(opt("server-warmup", "3"));
				if (serverWarmup > 0) {
					// JIT warm-up of a fresh server (not recorded): calls and session
					// set-ups against both
					// endpoints. Session set-up in particular runs much code that is cold
					// otherwise.
					if (sections.contains("echo")) {
						echoOnce("warm-up", server, rawUrl, false, 100, 10, 1, serverWarmup, 0);
						if (ddp) {
							echoOnce("warm-up", server, ddpUrl, true, 100, 10, 1, serverWarmup, 0);
						}
					}
					if (sessionsHere) {
						int inflight = Integer.parseInt(opt("sessions-inflight", "500"));
						sessionsOnce("warm-up", server, rawUrl, false, inflight, 1, serverWarmup, 0);
						if (ddp) {
							sessionsOnce("warm-up", server, ddpUrl, true, inflight, 1, serverWarmup * 3, 0);
						}
					}
				}
				Server meteor = (first && !meteorUrl.isEmpty())
						? new Server("meteor", meteorPid, null, meteorUrl.replaceFirst("/websocket$", ""), null) : null;
				String label = variants.size() > 1 ? " (" + variant.name() + ")" : "";
				boolean allEcho = first || variant.name().equals("tomcat-inline");
				int[][] echoScenarios = allEcho ? new int[][] { { 1, 1 }, { 50, 1 }, { 100, 10 } }
						: new int[][] { { 100, 10 } };
				if (sections.contains("echo")) {
					for (int[] s : echoScenarios) {
						this.echoRows.add(echo("raw Spring echo" + label, server, rawUrl, false, s[0], s[1], 1));
						if (ddp) {
							this.echoRows.add(echo("DDP" + label, server, ddpUrl, true, s[0], s[1], 1));
						}
						if (meteor != null) {
							this.echoRows.add(echo("Meteor 1.9.3", meteor, meteorUrl, true, s[0], s[1], 1));
						}
					}
				}
				if (first && sections.contains("gencheck")) {
					// The load split over 2 generator processes, then 1 process again:
					// the server keeps
					// warming up, so the repeat separates that from what a second process
					// adds.
					this.echoRows.add(echo("raw Spring echo" + label, server, rawUrl, false, 100, 10, 2));
					this.echoRows.add(again(echo("raw Spring echo" + label, server, rawUrl, false, 100, 10, 1)));
					if (ddp) {
						this.echoRows.add(echo("DDP" + label, server, ddpUrl, true, 100, 10, 2));
						this.echoRows.add(again(echo("DDP" + label, server, ddpUrl, true, 100, 10, 1)));
					}
				}
				if (sessionsHere) {
					int inflight = Integer.parseInt(opt("sessions-inflight", "500"));
					if (ddp) {
						this.sessionRows.add(sessions("DDP" + label, server, ddpUrl, true, inflight, 1));
						if (first && sections.contains("gencheck")) {
							this.sessionRows.add(sessions("DDP" + label, server, ddpUrl, true, inflight, 2));
							this.sessionRows.add(again(sessions("DDP" + label, server, ddpUrl, true, inflight, 1)));
						}
					}
					this.sessionRows.add(sessions("raw Spring WebSocket" + label, server, rawUrl, false, inflight, 1));
					if (meteor != null) {
						this.sessionRows.add(sessions("Meteor 1.9.3", meteor, meteorUrl, true, inflight, 1));
					}
				}
				if (sections.contains("fanout")) {
					for (String n : opt("fanout-subscribers", "1000,10000").split(",")) {
						FanoutRow row = fanout("DDP" + label, server.pid(), ddpUrl, Integer.parseInt(n.trim()));
						if (row != null) {
							this.fanoutRows.add(row);
						}
						FanoutRow raw = fanout("raw Spring fan-out" + label, server.pid(),
								server.baseWs() + "/raw-fanout", Integer.parseInt(n.trim()));
						if (raw != null) {
							this.fanoutRows.add(raw);
						}
					}
					String meteorFanout = opt("meteor-fanout-url", "");
					if (first && !meteorFanout.isEmpty()) {
						long pid = Long.parseLong(opt("meteor-fanout-pid", "0"));
						for (String n : opt("fanout-subscribers", "1000,10000").split(",")) {
							FanoutRow row = fanout("Meteor 1.9.3", pid, meteorFanout, Integer.parseInt(n.trim()));
							if (row != null) {
								this.fanoutRows.add(row);
							}
						}
					}
				}
				if (sections.contains("idle")) {
					idle("raw Spring WebSocket" + label, server, rawUrl, false, idle);
					if (ddp) {
						idle("DDP" + label, server, ddpUrl, true, idle);
					}
					if (meteor != null) {
						idle("Meteor 1.9.3", meteor, meteorUrl, true, idle);
					}
				}
			}
			finally {
				stopServer(server);
			}
			first = false;
		}
		printReport();
	}

	private final long started = System.nanoTime();

	private static Row again(Row row) {
		return new Row(row.target(), row.scenario() + " (again)", row.rate(), row.p50us(), row.p99us(),
				row.serverCpuUsPerOp(), row.serverCores(), row.genCores(), row.otherCores(), row.errors(), row.extra());
	}

	private String elapsed() {
		return String.format(Locale.ROOT, "[%3.0f s]", (System.nanoTime() - this.started) / 1e9);
	}

	private String defaultServerJvmArgs() {
		return "-Xms2g -Xmx2g -XX:+UseG1GC";
	}

	// ---------------------------------------------------------------- servers

	private Server startServer(Variant variant, int port) throws Exception {
		String container = variant.name();
		String cp = opt("server-cp-" + variant.container(), null);
		if (cp == null) {
			throw new IllegalArgumentException("--server-cp-" + variant.container() + " is required");
		}
		List<String> command = new ArrayList<>();
		command.add(this.java);
		command.addAll(Arrays.asList(opt("server-jvm-args", defaultServerJvmArgs()).trim().split("\\s+")));
		command.addAll(variant.jvmArgs());
		command.addAll(List.of("-cp", cp, "io.ddp.bench.BenchmarkServer", "--server.port=" + port));
		command.addAll(variant.appArgs());
		Path log = this.logDir.resolve("server-" + container + ".log");
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		Process process = pb.start();
		String heapUrl = "http://127.0.0.1:" + port + "/bench/heap";
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException("benchmark server (" + container + ") exited; see " + log);
			}
			try {
				heap(heapUrl, false);
				break;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					process.destroy();
					throw new IllegalStateException("benchmark server (" + container + ") did not start; see " + log);
				}
				Thread.sleep(250);
			}
		}
		System.out.println("== benchmark server on " + container + " started, pid " + process.pid() + ", port " + port
				+ " (log " + log + ")");
		// Let start-up JIT and class loading settle before measuring.
		Thread.sleep(500);
		return new Server(container, process.pid(), process, "ws://127.0.0.1:" + port, heapUrl);
	}

	private void stopServer(Server server) throws InterruptedException {
		server.process().destroy();
		if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
			server.process().destroyForcibly();
		}
	}

	private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(\\d+)");

	private static Map<String, Long> heap(String url, boolean gc) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create(url + "?gc=" + gc)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("HTTP " + response.statusCode());
		}
		Map<String, Long> values = new HashMap<>();
		Matcher m = NUMBER.matcher(response.body());
		while (m.find()) {
			values.put(m.group(1), Long.parseLong(m.group(2)));
		}
		return values;
	}

	// ---------------------------------------------------------------- scenarios

	/**
	 * Seconds left for waiting on a busy machine and for measuring again (--quiet-budget,
	 * whole run).
	 */
	private double quietBudget = -1;

	/**
	 * Runs a measurement again (up to --retries times) when other processes took CPU
	 * during it, and keeps the attempt least disturbed by them. Waiting and retrying stop
	 * once --quiet-budget seconds have been spent on them, so a run on a busy machine
	 * stays bounded.
	 */
	private Row measured(java.util.concurrent.Callable<Row> scenario) throws Exception {
		if (this.quietBudget < 0) {
			this.quietBudget = Double.parseDouble(opt("quiet-budget", "180"));
		}
		int retries = Integer.parseInt(opt("retries", "2"));
		double limit = Double.parseDouble(opt("max-other-cores", "0.25"));
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
			note(String.format(Locale.ROOT, "%s %s: %.2f cores were busy with other processes during the measurement",
					best.target(), best.scenario(), best.otherCores()));
		}
		return best;
	}

	/**
	 * Waits (at most --quiet-wait seconds, within the budget) until the machine is idle
	 * apart from our servers.
	 */
	private void waitQuiet() throws InterruptedException {
		double maxWait = Math.min(Integer.parseInt(opt("quiet-wait", "60")), Math.max(0, this.quietBudget));
		double limit = Double.parseDouble(opt("max-other-cores", "0.25"));
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

	private Row echo(String target, Server server, String url, boolean ddp, int connections, int inflight,
			int processes) throws Exception {
		return measured(
				() -> echoOnce(target, server, url, ddp, connections, inflight, processes, this.warmup, this.measure));
	}

	private Row echoOnce(String target, Server server, String url, boolean ddp, int connections, int inflight,
			int processes, int warmupSeconds, int measureSeconds) throws Exception {
		String scenario = connections + " x " + inflight;
		System.out.println("-- " + elapsed() + " echo " + scenario + ": " + target);
		int threads = Integer.parseInt(opt("gen-threads", "1"));
		long maxCalls = Long.parseLong(opt("max-calls", "20000000"));
		int seconds = warmupSeconds + measureSeconds + 60;
		try (Generators gens = Generators.start(this.java, this.genClasspath, processes,
				i -> List.of("--mode", "echo", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(connections / processes + (i < connections % processes ? 1 : 0)), "--inflight",
						Integer.toString(inflight), "--threads", Integer.toString(threads), "--max-calls",
						Long.toString(maxCalls / processes), "--max-seconds", Integer.toString(seconds)),
				this.logDir.resolve("loadgen.log"))) {
			List<Map<String, String>> ready = gens.expect("READY", 60);
			long readyCount = Generators.sum(ready, "ready");
			if (readyCount < connections) {
				throw new IllegalStateException(target + ": only " + readyCount + " of " + connections
						+ " connections ready; see " + this.logDir.resolve("loadgen.log"));
			}
			gens.send("GO");
			Thread.sleep(warmupSeconds * 1000L);
			Snapshot before = new Snapshot(server.pid(), gens);
			gens.send("MEASURE");
			Thread.sleep(measureSeconds * 1000L);
			gens.send("STOP");
			Snapshot after = new Snapshot(server.pid(), gens);
			List<Map<String, String>> results = gens.expect("RESULT", 30);
			if (measureSeconds == 0) {
				return null;
			}
			return row(target, scenario + (processes > 1 ? " (" + processes + " procs)" : ""), results, before, after,
					"");
		}
	}

	private Row sessions(String target, Server server, String url, boolean ddp, int inflight, int processes)
			throws Exception {
		return measured(() -> sessionsOnce(target, server, url, ddp, inflight, processes, Math.max(2, this.warmup),
				this.measure));
	}

	private Row sessionsOnce(String target, Server server, String url, boolean ddp, int inflight, int processes,
			int warm, int measureSeconds) throws Exception {
		System.out.println("-- " + elapsed() + " sessions, " + inflight + " in flight: " + target);
		int threads = Integer.parseInt(opt("sessions-threads", "2"));
		int seconds = warm + measureSeconds + 60;
		long maxSessions = Long.parseLong(opt("max-sessions", "40000"));
		try (Generators gens = Generators.start(this.java, this.genClasspath, processes,
				i -> List.of("--mode", "sessions", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(inflight / processes), "--threads", Integer.toString(threads), "--max-calls",
						Long.toString(maxSessions / processes), "--max-seconds", Integer.toString(seconds),
						"--sub-name", "items", "--sub-params", "[1]"),
				this.logDir.resolve("loadgen.log"))) {
			gens.expect("READY", 30);
			gens.send("GO");
			Thread.sleep(warm * 1000L);
			Snapshot before = new Snapshot(server.pid(), gens);
			gens.send("MEASURE");
			Thread.sleep(measureSeconds * 1000L);
			gens.send("STOP");
			Snapshot after = new Snapshot(server.pid(), gens);
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
			return row(target, inflight + " in flight" + (processes > 1 ? " (" + processes + " procs)" : ""), results,
					before, after, extra);
		}
	}

	private void idle(String target, Server server, String url, boolean ddp, int total) throws Exception {
		System.out.println("-- " + elapsed() + " idle sessions: " + target);
		boolean jvm = server.heapUrl() != null;
		long base = jvm ? heap(server.heapUrl(), true).get("used") : 0;
		int seconds = 240;
		List<Generators> groups = new ArrayList<>();
		try {
			// Stage 1: 1,000 sessions, to project the heap before risking an
			// OutOfMemoryError, and as the
			// first point of the marginal cost (caches that fill with the first
			// connections cancel out).
			int stage1 = Math.min(1000, total);
			groups.add(startIdle(url, ddp, stage1, seconds));
			long ready1 = Generators.sum(groups.get(0).expect("READY", 120), "ready");
			long heap1 = jvm ? heap(server.heapUrl(), true).get("used") : 0;
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
			long heapN = jvm ? heap(server.heapUrl(), true).get("used") : 0;
			long rssN = Cpu.rss(server.pid());
			long more = Math.max(1, open - ready1);
			String[] row;
			if (jvm) {
				double avgKiB = (heapN - base) / 1024.0 / Math.max(1, open);
				double marginalKiB = (heapN - heap1) / 1024.0 / more;
				double mib10k = (open == 10_000) ? (heapN - base) / 1048576.0 : avgKiB * 10_000 / 1024.0;
				this.idleHeapMiB.put(target, mib10k);
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
			this.idleRows.add(row);
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
		return Generators.start(this.java, this.genClasspath, 1,
				i -> List.of("--mode", "idle", "--url", url, "--proto", ddp ? "ddp" : "raw", "--connections",
						Integer.toString(count), "--inflight", "200", "--threads", "1", "--max-seconds",
						Integer.toString(seconds)),
				this.logDir.resolve("loadgen.log"));
	}

	/** CPU counters at one instant. */
	private static final class Snapshot {

		final long nanos = System.nanoTime();

		final long server;

		final long gens;

		final long[] system;

		Snapshot(long serverPid, Generators gens) {
			this.server = Cpu.processTicks(serverPid);
			this.gens = gens.cpuTicks();
			this.system = Cpu.systemTicks();
		}

	}

	private Row row(String target, String scenario, List<Map<String, String>> results, Snapshot before, Snapshot after,
			String extra) {
		double rate = Generators.rate(results);
		long count = Generators.sum(results, "count");
		Histogram h = Generators.histogram(results);
		double wall = (after.nanos - before.nanos) / 1e9;
		double serverSec = (after.server - before.server) / (double) Cpu.HZ;
		double genSec = (after.gens - before.gens) / (double) Cpu.HZ;
		double busySec = (after.system[0] - before.system[0]) / (double) Cpu.HZ;
		double serverCores = serverSec / wall;
		double genCores = genSec / wall;
		double otherCores = Math.max(0, busySec / wall - serverCores - genCores);
		double cpuPerOp = count == 0 ? 0 : serverSec * 1e6 / (rate * wall);
		long errors = Generators.sum(results, "errors") + Generators.sum(results, "lost");
		Row row = new Row(target, scenario, rate, h.getValueAtPercentile(50) / 1000.0,
				h.getValueAtPercentile(99) / 1000.0, cpuPerOp, serverCores, genCores, otherCores, errors, extra);
		System.out.println(String.format(Locale.ROOT,
				"   %,.0f/s  p50 %.0f us  p99 %.0f us  server %.1f us/op, %.2f cores; generator %.2f cores; other %.2f cores; errors %d %s",
				row.rate(), row.p50us(), row.p99us(), row.serverCpuUsPerOp(), row.serverCores(), row.genCores(),
				row.otherCores(), row.errors(), extra));
		return row;
	}

	// ---------------------------------------------------------------- fan-out

	/**
	 * One fan-out measurement: per write (median over the writes) the p50, p99 and last
	 * delivery latency over all receivers, in µs; server CPU per delivered frame (raw,
	 * and with the server's idle CPU rate over the same window subtracted); frames
	 * expected vs received.
	 */
	record FanoutRow(String target, int subscribers, long ready, int writes, double p50us, double p99us, double lastUs,
			double worstLastUs, double framesPerSecond, double cpuUsPerFrame, double cpuUsPerFrameRaw,
			double serverCores, double genCores, long expected, long received, long missing, String extra) {
	}

	private FanoutRow fanout(String target, long pid, String url, int subscribers) throws Exception {
		int writes = Integer.parseInt(opt("fanout-writes", "20"));
		int warmWrites = Integer.parseInt(opt("fanout-warm-writes", "20"));
		int spacing = Integer.parseInt(opt("fanout-spacing-ms", "300"));
		int processes = subscribers >= 2 ? 2 : 1;
		int seconds = 170;
		System.out
			.println("-- " + elapsed() + " fan-out, " + subscribers + " subscribers, " + writes + " writes: " + target);
		Path log = this.logDir.resolve("loadgen.log");
		try (Generators subs = Generators.start(this.java, this.genClasspath, processes,
				i -> List.of("--mode", "fanout", "--url", url, "--connections",
						Integer.toString(subscribers / processes + (i < subscribers % processes ? 1 : 0)), "--inflight",
						"200", "--threads", "1", "--max-seconds", Integer.toString(seconds)),
				log);
				Generators caller = Generators.start(this.java, this.genClasspath, 1,
						i -> List.of("--mode", "fanout-caller", "--url", url, "--writes", Integer.toString(writes),
								"--warm-writes", Integer.toString(warmWrites), "--spacing-ms",
								Integer.toString(spacing), "--max-seconds", Integer.toString(seconds)),
						log)) {
			long ready = Generators.sum(subs.expect("READY", 150), "ready");
			if (ready < subscribers) {
				note(target + " fan-out: only " + ready + " of " + subscribers
						+ " subscriptions reached ready; measured with " + ready);
			}
			if (ready == 0) {
				return null;
			}
			if (Generators.sum(caller.expect("READY", 30), "ready") < 1) {
				note(target + " fan-out: the caller session did not connect");
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
			// write and again
			// once every receiver has its changed frame, so the CPU figure covers the
			// delivery bursts
			// (send to last delivery, plus up to ~5 ms of polling), not the pauses
			// between them.
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
			Map<Long, Histogram> perWrite = new TreeMap<>();
			for (Map<String, String> r : results) {
				String w = r.getOrDefault("w", "");
				for (String part : w.isEmpty() ? new String[0] : w.split(",")) {
					int colon = part.indexOf(':');
					Histogram h = Histogram.decodeFromCompressedByteBuffer(
							ByteBuffer.wrap(Base64.getDecoder().decode(part.substring(colon + 1))), 0);
					perWrite
						.computeIfAbsent(Long.parseLong(part.substring(0, colon)), k -> new Histogram(60_000_000L, 3))
						.add(h);
				}
			}
			List<Histogram> measured = new ArrayList<>(perWrite.values());
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

	private static double median(double[] values) {
		if (values.length == 0) {
			return 0;
		}
		double[] v = values.clone();
		Arrays.sort(v);
		return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
	}

	// ---------------------------------------------------------------- report

	private void note(String text) {
		this.notes.add(text);
		System.out.println("   note: " + text);
	}

	private void line(String text) {
		this.report.append(text).append('\n');
	}

	private Row find(List<Row> rows, String target, String scenario) {
		for (Row r : rows) {
			if (r.target().equals(target) && r.scenario().equals(scenario)) {
				return r;
			}
		}
		return null;
	}

	private void ratio(String what, Row a, Row b, double target) {
		if (a == null || b == null || b.rate() == 0) {
			return;
		}
		double r = a.rate() / b.rate();
		String verdict = target > 0 ? (">= " + target + ": " + (r >= target ? "met" : "NOT met")) : "";
		double cpu = a.serverCpuUsPerOp() > 0 ? b.serverCpuUsPerOp() / a.serverCpuUsPerOp() : 0;
		line(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s |", what, r, cpu, verdict));
		if (target > 0) {
			this.checks.add(String.format(Locale.ROOT, "%s = %.2f (target %s)", what, r, verdict));
		}
	}

	private void printReport() throws IOException {
		boolean fanoutOnly = this.echoRows.isEmpty() && this.sessionRows.isEmpty() && this.idleRows.isEmpty()
				&& !this.fanoutRows.isEmpty();
		if (!fanoutOnly) {
			printMainTables();
		}
		if (!this.fanoutRows.isEmpty()) {
			printFanout();
		}
		printTail();
	}

	private void printFanout() {
		line("## Fan-out (N subscribers share one publication; one caller bumps one field of one document)");
		line("");
		line("| target | subscribers ready | writes | p50 µs | p99 µs | last delivery µs | worst last µs | frames/s (N / last) | server CPU µs/frame | raw µs/frame | server cores | generator cores | frames received / expected | missing |");
		line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (FanoutRow r : this.fanoutRows) {
			line(String.format(Locale.ROOT,
					"| %s | %,d of %,d | %d | %.0f | %.0f | %.0f | %.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d / %,d | %d |",
					r.target(), r.ready(), r.subscribers(), r.writes(), r.p50us(), r.p99us(), r.lastUs(),
					r.worstLastUs(), r.framesPerSecond(), r.cpuUsPerFrame(), r.cpuUsPerFrameRaw(), r.serverCores(),
					r.genCores(), r.received(), r.expected(), r.missing()));
		}
		line("");
		for (FanoutRow r : this.fanoutRows) {
			line("- " + r.target() + ", " + r.subscribers() + ": " + r.extra());
		}
		line("");
		for (FanoutRow r : this.fanoutRows) {
			if (r.target().startsWith("DDP") && r.ready() == r.subscribers()) {
				double limit = r.subscribers() >= 10_000 ? 100_000 : r.subscribers() >= 1000 ? 15_000 : 0;
				if (limit > 0) {
					this.checks.add(String.format(Locale.ROOT,
							"%s fan-out to %,d: last delivery %.1f ms (target <= %.0f ms: %s)", r.target(),
							r.subscribers(), r.lastUs() / 1000, limit / 1000, r.lastUs() <= limit ? "met" : "NOT met"));
				}
				this.checks.add(String.format(Locale.ROOT,
						"%s fan-out to %,d: %.2f µs server CPU per delivered frame (target <= 3: %s)", r.target(),
						r.subscribers(), r.cpuUsPerFrame(), r.cpuUsPerFrame() <= 3 ? "met" : "NOT met"));
				String raw = "raw Spring fan-out" + r.target().substring("DDP".length());
				for (FanoutRow b : this.fanoutRows) {
					if (b.target().equals(raw) && b.subscribers() == r.subscribers() && b.cpuUsPerFrame() > 0) {
						this.checks.add(String.format(Locale.ROOT,
								"%s fan-out to %,d against the raw Spring fan-out (no DDP, one send per session): %.2f vs %.2f µs CPU per frame (%.2fx), last delivery %.1f vs %.1f ms",
								r.target(), r.subscribers(), r.cpuUsPerFrame(), b.cpuUsPerFrame(),
								r.cpuUsPerFrame() / b.cpuUsPerFrame(), r.lastUs() / 1000, b.lastUs() / 1000));
					}
				}
				for (FanoutRow m : this.fanoutRows) {
					if (m.target().startsWith("Meteor") && m.subscribers() == r.subscribers()
							&& m.framesPerSecond() > 0) {
						double ratio = r.framesPerSecond() / m.framesPerSecond();
						this.checks.add(String.format(Locale.ROOT,
								"%s / Meteor fan-out delivery rate, %,d subscribers: %.1fx (target >= 2: %s)",
								r.target(), r.subscribers(), ratio, ratio >= 2 ? "met" : "NOT met"));
					}
				}
			}
		}
	}

	private void printMainTables() {
		line("## Echo calls (closed loop: connections x calls in flight per connection)");
		line("");
		line("| target | scenario | calls/s | p50 µs | p99 µs | server CPU µs/call | server cores | generator cores | other cores | errors |");
		line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Row r : this.echoRows) {
			line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f | %d |",
					r.target(), r.scenario(), r.rate(), r.p50us(), r.p99us(), r.serverCpuUsPerOp(), r.serverCores(),
					r.genCores(), r.otherCores(), r.errors()));
		}
		line("");
		line("## Ratios (calls/s)");
		line("");
		line("| ratio | calls/s ratio | inverse ratio of server CPU per call | target (on calls/s) |");
		line("|---|---:|---:|---|");
		for (String container : List.of("", " (tomcat)", " (tomcat-1k)", " (jetty)", " (tomcat-inline)")) {
			for (String s : List.of("1 x 1", "50 x 1", "100 x 10")) {
				Row ddp = find(this.echoRows, "DDP" + container, s);
				Row raw = find(this.echoRows, "raw Spring echo" + container, s);
				Row meteor = find(this.echoRows, "Meteor 1.9.3", s);
				double rawTarget = s.equals("100 x 10") ? 0.75 : 0;
				double meteorTarget = s.equals("100 x 10") ? 2.5 : s.equals("50 x 1") ? 1.5 : 0;
				ratio("DDP" + container + " / raw Spring echo" + container + ", " + s, ddp, raw, rawTarget);
				ratio("DDP" + container + " / Meteor, " + s, ddp, meteor, meteorTarget);
				ratio("raw Spring echo" + container + " / Meteor, " + s, raw, meteor, 0);
			}
		}
		line("");
		line("## Session establishment (open WebSocket, connect, connected, sub, ready/nosub, close)");
		line("");
		line("| target | in flight | sessions/s | p50 µs (open to ready) | p99 µs | server CPU µs/session | server cores | generator cores | other cores | answers |");
		line("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
		for (Row r : this.sessionRows) {
			line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f | %s |",
					r.target(), r.scenario(), r.rate(), r.p50us(), r.p99us(), r.serverCpuUsPerOp(), r.serverCores(),
					r.genCores(), r.otherCores(), r.extra()));
			if (r.target().startsWith("DDP") && !r.scenario().contains("(")) {
				this.checks.add(String.format(Locale.ROOT, "%s sessions/s: %,.0f (target >= 2,500: %s)", r.target(),
						r.rate(), r.rate() >= 2500 ? "met" : "NOT met"));
			}
		}
		line("");
		line("## Idle sessions (heap after full GC minus the heap before the sessions)");
		line("");
		line("| target | sessions open | heap after GC minus before | heap per session (average) | heap per session (marginal, after the first 1,000) | heap for 10,000 | RSS per session (marginal; Node only) |");
		line("|---|---|---:|---:|---:|---:|---:|");
		for (String[] r : this.idleRows) {
			line("| " + String.join(" | ", r) + " |");
		}
		for (Map.Entry<String, Double> e : this.idleHeapMiB.entrySet()) {
			if (e.getKey().startsWith("DDP")) {
				this.checks
					.add(String.format(Locale.ROOT, "%s: 10,000 idle sessions = %.0f MiB heap (target <= 160 MiB: %s)",
							e.getKey(), e.getValue(), e.getValue() <= 160 ? "met" : "NOT met"));
			}
		}
		line("");
	}

	private void printTail() throws IOException {
		if (!this.checks.isEmpty()) {
			line("## Targets");
			line("");
			for (String c : this.checks) {
				line("- " + c);
			}
			line("");
		}
		if (!this.notes.isEmpty()) {
			line("## Notes");
			line("");
			for (String n : this.notes) {
				line("- " + n);
			}
			line("");
		}
		line("Load average at the end: " + Cpu.loadAverage() + "; the run took " + elapsed().replaceAll("[\\[\\] ]", "")
				+ ".");
		System.out.println();
		System.out.println(this.report);
		Path out = Path.of(opt("out", "target/bench-results.md"));
		Files.writeString(out, this.report.toString());
		System.out.println("(written to " + out.toAbsolutePath() + ")");
	}

}
