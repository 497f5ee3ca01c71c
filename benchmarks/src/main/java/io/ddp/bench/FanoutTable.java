package io.ddp.bench;

import java.util.List;
import java.util.Locale;

/**
 * The report's fan-out table, and the targets checked on it: last delivery, server CPU
 * per frame, and the comparisons with the raw Spring fan-out and Meteor.
 */
final class FanoutTable {

	private FanoutTable() {
	}

	static void render(List<FanoutRow> rows, MarkdownReport report) {
		report.line("## Fan-out (N subscribers share one publication; one caller bumps one field of one document)");
		report.line("");
		report.line(
				"| target | subscribers ready | writes | p50 µs | p99 µs | last delivery µs | worst last µs | frames/s (N / last) | server CPU µs/frame | raw µs/frame | server cores | generator cores | frames received / expected | missing |");
		report.line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (FanoutRow r : rows) {
			report.line(String.format(Locale.ROOT,
					"| %s | %,d of %,d | %d | %.0f | %.0f | %.0f | %.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d / %,d | %d |",
					r.target(), r.ready(), r.subscribers(), r.writes(), r.p50us(), r.p99us(), r.lastUs(),
					r.worstLastUs(), r.framesPerSecond(), r.cpuUsPerFrame(), r.cpuUsPerFrameRaw(), r.serverCores(),
					r.genCores(), r.received(), r.expected(), r.missing()));
		}
		report.line("");
		for (FanoutRow r : rows) {
			report.line("- " + r.target() + ", " + r.subscribers() + ": " + r.extra());
		}
		report.line("");
		for (FanoutRow r : rows) {
			if (r.target().startsWith("DDP") && r.ready() == r.subscribers()) {
				checks(r, rows, report);
			}
		}
	}

	private static void checks(FanoutRow r, List<FanoutRow> rows, MarkdownReport report) {
		double limit = r.subscribers() >= 10_000 ? 100_000 : r.subscribers() >= 1000 ? 15_000 : 0;
		if (limit > 0) {
			report.check(String.format(Locale.ROOT, "%s fan-out to %,d: last delivery %.1f ms (target <= %.0f ms: %s)",
					r.target(), r.subscribers(), r.lastUs() / 1000, limit / 1000,
					r.lastUs() <= limit ? "met" : "NOT met"));
		}
		report.check(String.format(Locale.ROOT,
				"%s fan-out to %,d: %.2f µs server CPU per delivered frame (target <= 3: %s)", r.target(),
				r.subscribers(), r.cpuUsPerFrame(), r.cpuUsPerFrame() <= 3 ? "met" : "NOT met"));
		String raw = "raw Spring fan-out" + r.target().substring("DDP".length());
		for (FanoutRow b : rows) {
			if (b.target().equals(raw) && b.subscribers() == r.subscribers() && b.cpuUsPerFrame() > 0) {
				report.check(String.format(Locale.ROOT,
						"%s fan-out to %,d against the raw Spring fan-out (no DDP, one send per session): %.2f vs %.2f µs CPU per frame (%.2fx), last delivery %.1f vs %.1f ms",
						r.target(), r.subscribers(), r.cpuUsPerFrame(), b.cpuUsPerFrame(),
						r.cpuUsPerFrame() / b.cpuUsPerFrame(), r.lastUs() / 1000, b.lastUs() / 1000));
			}
		}
		for (FanoutRow b : rows) {
			// The bare loop may have had to stay a little under 10,000 sockets
			// (descriptors).
			if (b.target().startsWith("bare NIO") && b.subscribers() >= r.subscribers() * 0.9
					&& b.subscribers() <= r.subscribers() && b.cpuUsPerFrame() > 0) {
				report.check(String.format(Locale.ROOT,
						"%s fan-out to %,d against the bare NIO loop to %,d (the physical limit: pre-built frame, no container): %.2f vs %.2f µs CPU per frame (%.1fx), last delivery %.1f vs %.1f ms",
						r.target(), r.subscribers(), b.subscribers(), r.cpuUsPerFrame(), b.cpuUsPerFrame(),
						r.cpuUsPerFrame() / b.cpuUsPerFrame(), r.lastUs() / 1000, b.lastUs() / 1000));
			}
		}
		for (FanoutRow m : rows) {
			if (m.target().startsWith("Meteor") && m.subscribers() == r.subscribers() && m.framesPerSecond() > 0) {
				double ratio = r.framesPerSecond() / m.framesPerSecond();
				report.check(String.format(Locale.ROOT,
						"%s / Meteor fan-out delivery rate, %,d subscribers: %.1fx (target >= 2: %s)", r.target(),
						r.subscribers(), ratio, ratio >= 2 ? "met" : "NOT met"));
			}
		}
	}

}
