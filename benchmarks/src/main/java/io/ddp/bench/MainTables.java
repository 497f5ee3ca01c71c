package io.ddp.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's echo, ratio, session and idle tables, and the targets checked on them.
 */
final class MainTables {

	private MainTables() {
	}

	static void render(Results results, MarkdownReport report) {
		echo(results.echoRows, report);
		ratios(results.echoRows, report);
		sessions(results.sessionRows, report);
		idle(results, report);
	}

	private static void echo(List<Row> rows, MarkdownReport report) {
		report.line("## Echo calls (closed loop: connections x calls in flight per connection)");
		report.line("");
		report.line(
				"| target | scenario | calls/s | p50 µs | p99 µs | server CPU µs/call | server cores | generator cores | other cores | errors |");
		report.line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Row r : rows) {
			report.line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f | %d |",
					r.target(), r.scenario(), r.rate(), r.p50us(), r.p99us(), r.serverCpuUsPerOp(), r.serverCores(),
					r.genCores(), r.otherCores(), r.errors()));
		}
		report.line("");
	}

	private static void ratios(List<Row> rows, MarkdownReport report) {
		report.line("## Ratios (calls/s)");
		report.line("");
		report.line("| ratio | calls/s ratio | inverse ratio of server CPU per call | target (on calls/s) |");
		report.line("|---|---:|---:|---|");
		for (String container : List.of("", " (tomcat)", " (tomcat-1k)", " (jetty)", " (tomcat-ratelimit)",
				" (tomcat-inline)")) {
			for (String s : List.of("1 x 1", "50 x 1", "100 x 10")) {
				Row ddp = find(rows, "DDP" + container, s);
				Row raw = find(rows, "raw Spring echo" + container, s);
				Row meteor = find(rows, "Meteor 1.9.3", s);
				// Issue 11's targets
				double rawTarget = s.equals("100 x 10") ? 0.85 : 0;
				double meteorTarget = s.equals("100 x 10") ? 6 : s.equals("50 x 1") ? 3 : 0;
				ratio(report, "DDP" + container + " / raw Spring echo" + container + ", " + s, ddp, raw, rawTarget);
				ratio(report, "DDP" + container + " / Meteor, " + s, ddp, meteor, meteorTarget);
				ratio(report, "raw Spring echo" + container + " / Meteor, " + s, raw, meteor, 0);
			}
		}
		Row limited = find(rows, "DDP (tomcat-ratelimit)", "100 x 10");
		Row plain = find(rows, "DDP (tomcat)", "100 x 10");
		if (limited != null && plain != null) {
			report.check(String.format(Locale.ROOT,
					"one matching rate limit rule: %+.1f µs of server CPU per call (%.1f with, %.1f without), "
							+ "calls/s ratio %.2f",
					limited.serverCpuUsPerOp() - plain.serverCpuUsPerOp(), limited.serverCpuUsPerOp(),
					plain.serverCpuUsPerOp(), limited.rate() / plain.rate()));
		}
		report.line("");
	}

	private static void sessions(List<Row> rows, MarkdownReport report) {
		report.line("## Session establishment (open WebSocket, connect, connected, sub, ready/nosub, close)");
		report.line("");
		report.line(
				"| target | in flight | sessions/s | p50 µs (open to ready) | p99 µs | server CPU µs/session | server cores | generator cores | other cores | answers |");
		report.line("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
		for (Row r : rows) {
			report.line(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.0f | %.0f | %.1f | %.2f | %.2f | %.2f | %s |",
					r.target(), r.scenario(), r.rate(), r.p50us(), r.p99us(), r.serverCpuUsPerOp(), r.serverCores(),
					r.genCores(), r.otherCores(), r.extra()));
			if (r.target().startsWith("DDP") && !r.scenario().contains("(")) {
				report.check(String.format(Locale.ROOT, "%s sessions/s: %,.0f (target >= 2,500: %s)", r.target(),
						r.rate(), r.rate() >= 2500 ? "met" : "NOT met"));
			}
		}
		report.line("");
	}

	private static void idle(Results results, MarkdownReport report) {
		report.line("## Idle sessions (heap after full GC minus the heap before the sessions)");
		report.line("");
		report.line(
				"| target | sessions open | heap after GC minus before | heap per session (average) | heap per session (marginal, after the first 1,000) | heap for 10,000 | RSS per session (marginal; Node only) |");
		report.line("|---|---|---:|---:|---:|---:|---:|");
		for (String[] r : results.idleRows) {
			report.line("| " + String.join(" | ", r) + " |");
		}
		for (Map.Entry<String, Double> e : results.idleHeapMiB.entrySet()) {
			if (e.getKey().startsWith("DDP")) {
				report.check(
						String.format(Locale.ROOT, "%s: 10,000 idle sessions = %.0f MiB heap (target <= 160 MiB: %s)",
								e.getKey(), e.getValue(), e.getValue() <= 160 ? "met" : "NOT met"));
			}
		}
		report.line("");
	}

	private static Row find(List<Row> rows, String target, String scenario) {
		for (Row r : rows) {
			if (r.target().equals(target) && r.scenario().equals(scenario)) {
				return r;
			}
		}
		return null;
	}

	// One ratio line (when both rows exist); a target > 0 is also checked.
	private static void ratio(MarkdownReport report, String what, Row a, Row b, double target) {
		if (a == null || b == null || b.rate() == 0) {
			return;
		}
		double r = a.rate() / b.rate();
		String verdict = target > 0 ? (">= " + target + ": " + (r >= target ? "met" : "NOT met")) : "";
		double cpu = a.serverCpuUsPerOp() > 0 ? b.serverCpuUsPerOp() / a.serverCpuUsPerOp() : 0;
		report.line(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s |", what, r, cpu, verdict));
		if (target > 0) {
			report.check(String.format(Locale.ROOT, "%s = %.2f (target %s)", what, r, verdict));
		}
	}

}
