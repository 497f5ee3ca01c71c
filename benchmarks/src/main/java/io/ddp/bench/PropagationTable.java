package io.ddp.bench;

import java.util.List;
import java.util.Locale;

/**
 * The report's propagation tables (rows, PostgreSQL's own steps, the cost of PostgreSQL
 * against the in-memory store) and the targets checked on them.
 */
final class PropagationTable {

	static final double P50_TARGET_US = 2_000;

	static final double P99_TARGET_US = 10_000;

	private PropagationTable() {
	}

	static void render(Results results, MarkdownReport report) {
		List<PropagationRow> rows = results.propagationRows;
		report.line("## Propagation (a method on the writer's instance updates a document; the subscriber's "
				+ "instance sends its `changed`)");
		report.line("");
		report.line("| store | writer -> subscriber | load | writes/s | p50 µs | p99 µs | max µs | method p50 µs | "
				+ "method p99 µs | seen / sent | lost | superseded | unanswered | writer cores | subscriber cores | "
				+ "PostgreSQL cores | server CPU µs/write | generator cores |");
		report.line("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (PropagationRow r : rows) {
			report.line(String.format(Locale.ROOT,
					"| %s | %s | %s | %,.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %,d / %,d | %d | %d | %d | %.2f | %.2f | %.2f | %.1f | %.2f |",
					r.store(), r.path(), r.load(), r.writesPerSecond(), r.p50us(), r.p99us(), r.maxUs(),
					r.methodP50us(), r.methodP99us(), r.seen(), r.sent(), r.lost(), r.superseded(), r.unanswered(),
					r.writerCores(), r.subscriberCores(), r.postgresCores(), r.serverCpuUsPerWrite(), r.genCores()));
		}
		report.line("");
		for (PropagationRow r : rows) {
			report.line("- " + r.store() + ", " + r.load() + ": " + r.extra());
		}
		report.line("");
		probes(results.postgresProbes, report);
		cost(rows, report);
		for (PropagationRow r : rows) {
			if (r.store().equals("PostgreSQL") && r.paced()) {
				// Percentiles over the writes that arrived leave out the ones still
				// queued
				boolean complete = r.unanswered() == 0 && r.lost() == 0;
				report.check(String.format(Locale.ROOT,
						"PostgreSQL propagation A -> B at %s: p50 %.2f ms (target <= 2: %s), p99 %.2f ms (target <= 10: %s), lost %d (target 0: %s), unanswered %d",
						r.load(), r.p50us() / 1000, (complete && r.p50us() <= P50_TARGET_US) ? "met" : "NOT met",
						r.p99us() / 1000, (complete && r.p99us() <= P99_TARGET_US) ? "met" : "NOT met", r.lost(),
						r.lost() == 0 ? "met" : "NOT met", r.unanswered()));
			}
			else if (r.store().equals("PostgreSQL")) {
				report.check(String.format(Locale.ROOT,
						"PostgreSQL: one instance sustains %,.0f writes/s (%s), every write reaching B: %s (lost %d, superseded %d)",
						r.writesPerSecond(), r.load(), r.lost() == 0 ? "yes" : "NO", r.lost(), r.superseded()));
			}
		}
	}

	private static void probes(List<PostgresProbes.Probe> probes, MarkdownReport report) {
		if (probes.isEmpty()) {
			return;
		}
		report.line("### PostgreSQL's own steps (one at a time over JDBC from the runner, same database)");
		report.line("");
		report.line("| step | p50 µs | p99 µs | max µs |");
		report.line("|---|---:|---:|---:|");
		for (PostgresProbes.Probe p : probes) {
			report.line(
					String.format(Locale.ROOT, "| %s | %d | %d | %d |", p.name(), p.latency().getValueAtPercentile(50),
							p.latency().getValueAtPercentile(99), p.latency().getMaxValue()));
		}
		report.line("");
	}

	private static void cost(List<PropagationRow> rows, MarkdownReport report) {
		StringBuilder lines = new StringBuilder();
		for (PropagationRow pg : rows) {
			for (PropagationRow mem : rows) {
				if (!pg.store().equals("PostgreSQL") || !mem.store().equals("in-memory") || pg.paced() != mem.paced()) {
					continue;
				}
				if (pg.paced()) {
					lines.append(String.format(Locale.ROOT, "| propagation p50 at %s | %.0f µs | %.0f µs | %.1fx |%n",
							pg.load(), pg.p50us(), mem.p50us(), ratio(pg.p50us(), mem.p50us())));
					lines.append(String.format(Locale.ROOT, "| propagation p99 at %s | %.0f µs | %.0f µs | %.1fx |%n",
							pg.load(), pg.p99us(), mem.p99us(), ratio(pg.p99us(), mem.p99us())));
				}
				else {
					lines.append(String.format(Locale.ROOT, "| writes/s, %s | %,.0f | %,.0f | %.2f |%n", pg.load(),
							pg.writesPerSecond(), mem.writesPerSecond(),
							ratio(pg.writesPerSecond(), mem.writesPerSecond())));
				}
				lines.append(String.format(Locale.ROOT, "| server CPU per write, %s | %.1f µs | %.1f µs | %.1fx |%n",
						pg.load(), pg.serverCpuUsPerWrite(), mem.serverCpuUsPerWrite(),
						ratio(pg.serverCpuUsPerWrite(), mem.serverCpuUsPerWrite())));
			}
		}
		if (lines.length() == 0) {
			return;
		}
		report.line("### Cost of PostgreSQL against the in-memory store (same run)");
		report.line("");
		report.line("| measure | PostgreSQL (A -> B) | in-memory (one instance) | PostgreSQL / in-memory |");
		report.line("|---|---:|---:|---:|");
		report.line(lines.toString().stripTrailing().replace(System.lineSeparator(), "\n"));
		report.line("");
	}

	private static double ratio(double a, double b) {
		return (b > 0) ? a / b : 0;
	}

}
