package io.ddp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world GC pauses of a server that fell into a measured window, read from
 * the log the server writes with {@link #jvmArgument(Path)}. A latency percentile is only
 * explained when the reader sees the pauses of the same window next to it.
 *
 * @param count pauses that overlap the window
 * @param maxMs the longest of them, ms
 * @param totalMs all of them together, ms
 */
record GcPauses(int count, double maxMs, double totalMs) {

	// [1765035971487ms] GC(6) Pause Young (Normal) (G1 Evacuation Pause) 118M->21M(2048M)
	// 12.719ms: the decoration is the time the line was written, the pause's end
	private static final Pattern PAUSE = Pattern.compile("^\\[(\\d+)ms\\] GC\\(\\d+\\) Pause .* (\\d+(?:\\.\\d+)?)ms$");

	static final GcPauses NONE = new GcPauses(0, 0, 0);

	/**
	 * @param log where the server writes its GC log
	 * @return the JVM option that makes a server log its pauses with wall-clock times
	 */
	static String jvmArgument(Path log) {
		return "-Xlog:gc:file=" + log + ":timemillis";
	}

	/**
	 * Read the pauses of a window.
	 * @param log the server's GC log (missing: no pauses)
	 * @param fromMs the window's start, ms since the epoch
	 * @param toMs the window's end, ms since the epoch
	 * @return the pauses that overlap the window
	 * @throws IOException when the log cannot be read
	 */
	static GcPauses in(Path log, long fromMs, long toMs) throws IOException {
		if (!Files.exists(log)) {
			return NONE;
		}
		return in(Files.readAllLines(log, StandardCharsets.UTF_8), fromMs, toMs);
	}

	static GcPauses in(List<String> lines, long fromMs, long toMs) {
		int count = 0;
		double max = 0;
		double total = 0;
		for (String line : lines) {
			Matcher m = PAUSE.matcher(line.trim());
			if (!m.matches()) {
				continue;
			}
			long end = Long.parseLong(m.group(1));
			double ms = Double.parseDouble(m.group(2));
			if (end >= fromMs && end - ms <= toMs) {
				count++;
				max = Math.max(max, ms);
				total += ms;
			}
		}
		return new GcPauses(count, max, total);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%d (max %.1f ms, total %.1f ms)", this.count, this.maxMs, this.totalMs);
	}

}
