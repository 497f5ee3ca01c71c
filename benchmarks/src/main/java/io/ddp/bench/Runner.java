package io.ddp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the whole benchmark (started by run.sh): starts the benchmark server on each
 * container, drives load-generator processes through every scenario, reads CPU from /proc
 * and heap from the server, prints the tables and ratios and writes them to a Markdown
 * file. See README.md.
 */
public final class Runner {

	private final RunSettings settings;

	private final Results results = new Results();

	private final MarkdownReport report = new MarkdownReport();

	private final ServerProcesses servers;

	private final EchoScenario echo;

	private final SessionsScenario sessions;

	private final GenCheckScenario genCheck;

	private final IdleScenario idle;

	private final FanoutScenario fanout;

	private final PropagationScenario propagation;

	private int idleSessions;

	private Runner(Map<String, String> options) {
		this.settings = new RunSettings(options);
		this.servers = new ServerProcesses(this.settings);
		QuietMachine quiet = new QuietMachine(this.settings, this.results);
		this.echo = new EchoScenario(this.settings, quiet);
		this.sessions = new SessionsScenario(this.settings, quiet);
		this.genCheck = new GenCheckScenario(this.echo, this.sessions);
		this.idle = new IdleScenario(this.settings, this.results);
		this.fanout = new FanoutScenario(this.settings, this.results);
		this.propagation = new PropagationScenario(this.settings, this.servers, this.results);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		new Runner(options).run();
	}

	private void run() throws Exception {
		RunSettings s = this.settings;
		Files.createDirectories(s.logDir());
		List<Variant> variants = Arrays.stream(s.opt("variants", "tomcat,tomcat-1k,jetty").split(","))
			.map(String::trim)
			.map(Variant::of)
			.toList();
		String sections = s.opt("sections", "echo,gencheck,sessions,idle");
		String meteorUrl = s.opt("meteor-url", "");
		long meteorPid = Long.parseLong(s.opt("meteor-pid", "0"));
		int port = s.intOpt("port", "18080");
		this.idleSessions = s.intOpt("idle-sessions", "10000");
		header(variants, meteorUrl, meteorPid);
		boolean first = true;
		// The propagation section starts its own servers: no variant server for it alone
		boolean perVariant = List.of(sections.split(","))
			.stream()
			.map(String::trim)
			.anyMatch((section) -> !section.equals("propagation"));
		for (Variant variant : perVariant ? variants : List.<Variant>of()) {
			TargetServer server = this.servers.start(variant, port++);
			try {
				TargetServer meteor = (first && !meteorUrl.isEmpty())
						? new TargetServer("meteor", meteorPid, null, meteorUrl.replaceFirst("/websocket$", ""), null)
						: null;
				measure(variant, server, meteor, variants.size() > 1, first, sections);
			}
			finally {
				this.servers.stop(server);
			}
			first = false;
		}
		if (sections.contains("propagation")) {
			this.propagation.run(port + 10);
		}
		this.report.tables(this.results);
		this.report.tail(this.results.notes, Cpu.loadAverage(), s.elapsed().replaceAll("[\\[\\] ]", ""));
		System.out.println();
		System.out.println(this.report);
		Path out = Path.of(s.opt("out", "target/bench-results.md"));
		Files.writeString(out, this.report.toString());
		System.out.println("(written to " + out.toAbsolutePath() + ")");
	}

	private void header(List<Variant> variants, String meteorUrl, long meteorPid) {
		RunSettings s = this.settings;
		this.report.line("# ddp-spring-boot benchmark results");
		this.report.line("");
		this.report.line("- date: " + ZonedDateTime.now().withNano(0));
		this.report.line("- machine: " + Runtime.getRuntime().availableProcessors()
				+ " cores, load average before start: " + Cpu.loadAverage());
		this.report
			.line("- server JVM: " + s.java() + " (" + System.getProperty("java.version") + ") " + s.serverJvmArgs());
		this.report.line("- echo scenarios: warm-up " + s.warmup() + " s, then " + s.measure()
				+ " s measured; generator: "
				+ "io.ddp.bench.load.LoadGen (NIO, closed loop), 1 process with 1 thread unless the row says otherwise");
		for (Variant v : variants) {
			this.report.line("- server variant `" + v.name() + "`: " + v.what());
		}
		if (!meteorUrl.isEmpty()) {
			this.report.line("- Meteor: " + meteorUrl + " (pid " + meteorPid + ")");
		}
		else {
			this.report.line("- Meteor: not run");
		}
		this.report.line("");
	}

	// Every section on one started server; Meteor (when given) only with the first.
	private void measure(Variant variant, TargetServer server, TargetServer meteor, boolean labelled, boolean first,
			String sections) throws Exception {
		RunSettings s = this.settings;
		String meteorUrl = s.opt("meteor-url", "");
		String ddpUrl = server.baseWs() + "/websocket";
		String rawUrl = server.baseWs() + "/raw-echo";
		Probe probe = Probe.ddp(ddpUrl, "items", "[1]");
		boolean ddp = probe.connected && probe.echoOk;
		if (!ddp) {
			this.results.note(variant.name() + ": DDP endpoint not measured: " + probe.problem);
		}
		else if (first) {
			this.results.note(
					"DDP probe (JDK java.net.http WebSocket client, " + variant.name() + "): sub items([1]) answered `"
							+ probe.subReply + "`; frames: `" + String.join(" ", probe.frames) + "`");
		}
		boolean sessionsHere = sections.contains("sessions") && !variant.name().equals("tomcat-1k");
		int inflight = s.intOpt("sessions-inflight", "500");
		int serverWarmup = s.intOpt("server-warmup", "3");
		if (serverWarmup > 0) {
			// JIT warm-up of a fresh server (not recorded): calls and session set-ups
			// against both endpoints. Session set-up in particular runs much code that
			// is cold otherwise.
			if (sections.contains("echo")) {
				this.echo.once("warm-up", server, rawUrl, false, 100, 10, 1, serverWarmup, 0);
				if (ddp) {
					this.echo.once("warm-up", server, ddpUrl, true, 100, 10, 1, serverWarmup, 0);
				}
			}
			if (sessionsHere) {
				this.sessions.once("warm-up", server, rawUrl, false, inflight, 1, serverWarmup, 0);
				if (ddp) {
					this.sessions.once("warm-up", server, ddpUrl, true, inflight, 1, serverWarmup * 3, 0);
				}
			}
		}
		String label = labelled ? " (" + variant.name() + ")" : "";
		if (sections.contains("echo")) {
			boolean allEcho = first || variant.name().equals("tomcat-inline")
					|| variant.name().equals("tomcat-dispatch");
			int[][] echoScenarios = allEcho ? new int[][] { { 1, 1 }, { 50, 1 }, { 100, 10 } }
					: new int[][] { { 100, 10 } };
			for (int[] e : echoScenarios) {
				this.results.echoRows
					.add(this.echo.run("raw Spring echo" + label, server, rawUrl, false, e[0], e[1], 1));
				if (ddp) {
					this.results.echoRows.add(this.echo.run("DDP" + label, server, ddpUrl, true, e[0], e[1], 1));
				}
				if (meteor != null) {
					this.results.echoRows.add(this.echo.run("Meteor 1.9.3", meteor, meteorUrl, true, e[0], e[1], 1));
				}
			}
		}
		if (first && sections.contains("gencheck")) {
			this.results.echoRows.addAll(this.genCheck.echoRows(label, server, rawUrl, ddpUrl, ddp));
		}
		if (sessionsHere) {
			if (ddp) {
				this.results.sessionRows.add(this.sessions.run("DDP" + label, server, ddpUrl, true, inflight, 1));
				if (first && sections.contains("gencheck")) {
					this.results.sessionRows.addAll(this.genCheck.sessionRows(label, server, ddpUrl, inflight));
				}
			}
			this.results.sessionRows
				.add(this.sessions.run("raw Spring WebSocket" + label, server, rawUrl, false, inflight, 1));
			if (meteor != null) {
				this.results.sessionRows.add(this.sessions.run("Meteor 1.9.3", meteor, meteorUrl, true, inflight, 1));
			}
		}
		if (sections.contains("fanout")) {
			fanout(label, server, first);
		}
		if (sections.contains("idle")) {
			int total = this.idleSessions;
			this.idle.run("raw Spring WebSocket" + label, server, rawUrl, false, total);
			if (ddp) {
				this.idle.run("DDP" + label, server, ddpUrl, true, total);
			}
			if (meteor != null) {
				this.idle.run("Meteor 1.9.3", meteor, meteorUrl, true, total);
			}
		}
	}

	private void fanout(String label, TargetServer server, boolean first) throws Exception {
		RunSettings s = this.settings;
		String[] counts = s.opt("fanout-subscribers", "1000,10000").split(",");
		if (first) {
			// The physical limit: no container, in this process, before the servers'
			// rows.
			for (String n : counts) {
				System.out.println("-- " + s.elapsed() + " fan-out, bare NIO loop, " + n.trim() + " sockets");
				addFanout(BareNioFanout.run(Integer.parseInt(n.trim()), s.intOpt("fanout-writes", "20"),
						s.intOpt("fanout-spacing-ms", "300")));
			}
		}
		// Meteor's row right after ours at each size: the machine's speed drifts by
		// tens of percent within minutes, and the target is a ratio of the two.
		String meteorFanout = first ? s.opt("meteor-fanout-url", "") : "";
		long meteorPid = Long.parseLong(s.opt("meteor-fanout-pid", "0"));
		// One unreported row per server first: a fresh JVM compiles its delivery path
		// during the first tens of thousands of frames (the first row at 1,000 ran 15-25%
		// slower than the same row next in runs of 2026-12-07); Meteor gets one too.
		int warmUp = s.intOpt("fanout-warm-up-subscribers", "1000");
		if (warmUp > 0) {
			this.fanout.run("DDP" + label + " (warm-up, not reported)", server.pid(), server.baseWs() + "/websocket",
					warmUp);
			if (!meteorFanout.isEmpty()) {
				this.fanout.run("Meteor 1.9.3 (warm-up, not reported)", meteorPid, meteorFanout, warmUp);
			}
		}
		for (String n : counts) {
			int subscribers = Integer.parseInt(n.trim());
			addFanout(this.fanout.run("DDP" + label, server.pid(), server.baseWs() + "/websocket", subscribers));
			if (!meteorFanout.isEmpty()) {
				addFanout(this.fanout.run("Meteor 1.9.3", meteorPid, meteorFanout, subscribers));
			}
			addFanout(this.fanout.run("raw Spring fan-out" + label, server.pid(), server.baseWs() + "/raw-fanout",
					subscribers));
		}
	}

	private void addFanout(FanoutRow row) {
		if (row != null) {
			this.results.fanoutRows.add(row);
		}
	}

}
