package io.ddp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU and memory figures from /proc (Linux). Times in clock ticks of {@link #HZ} per
 * second.
 */
final class Cpu {

	/**
	 * USER_HZ; 100 on every Linux x86-64 build this runs on ({@code getconf CLK_TCK}).
	 */
	static final int HZ = 100;

	private Cpu() {
	}

	/** utime + stime of a process (all its threads), in ticks; -1 when it is gone. */
	static long processTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(f[11]) + Long.parseLong(f[12]);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * CPU of a process and its children (PostgreSQL: the postmaster and its backends), in
	 * ticks: its own utime + stime, the children it has reaped (cutime + cstime) and its
	 * live children's utime + stime; -1 when it is gone.
	 */
	static long treeTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long sum = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
			try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
				for (Path proc : (Iterable<Path>) procs::iterator) {
					String name = proc.getFileName().toString();
					if (!name.chars().allMatch(Character::isDigit)) {
						continue;
					}
					try {
						String child = Files.readString(proc.resolve("stat"));
						String[] c = child.substring(child.lastIndexOf(')') + 2).split(" ");
						if (Long.parseLong(c[1]) == pid) {
							sum += Long.parseLong(c[11]) + Long.parseLong(c[12]);
						}
					}
					catch (IOException | RuntimeException ex) {
						// gone meanwhile
					}
				}
			}
			return sum;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** {busy, total} ticks of the whole machine (all cores) from /proc/stat. */
	static long[] systemTicks() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long total = 0;
			for (int i = 1; i < f.length && i <= 8; i++) {
				total += Long.parseLong(f[i]);
			}
			long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
			return new long[] { total - idle, total };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { 0, 0 };
		}
	}

	/** VmRSS of a process in bytes, or -1. */
	static long rss(long pid) {
		try {
			List<String> lines = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
			for (String line : lines) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// gone
		}
		return -1;
	}

	// Per process: each live thread's on-CPU time when last read, and what threads that
	// have ended since had used by then.
	private static final Map<Long, ThreadTimes> threadTimes = new ConcurrentHashMap<>();

	/**
	 * On-CPU time of a process in nanoseconds (sum of the first field of
	 * {@code /proc/<pid>/task/<tid>/schedstat}): utime+stime at nanosecond resolution
	 * instead of 10 ms ticks. A thread that ended since the previous reading (an idle
	 * pool thread timing out) keeps counting with what it had used then, so the figure
	 * never goes back; only its CPU after that reading is lost. -1 when the process is
	 * gone.
	 */
	static long processNanos(long pid) {
		try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
			Map<String, Long> live = new HashMap<>();
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("schedstat")).trim();
					live.put(task.getFileName().toString(), Long.parseLong(stat.substring(0, stat.indexOf(' '))));
				}
				catch (IOException | RuntimeException ex) {
					// thread gone meanwhile: counted from its previous reading below
				}
			}
			return threadTimes.computeIfAbsent(pid, (p) -> new ThreadTimes()).update(live);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static final class ThreadTimes {

		private Map<String, Long> last = Map.of();

		private long ended;

		synchronized long update(Map<String, Long> live) {
			long sum = 0;
			for (Map.Entry<String, Long> thread : this.last.entrySet()) {
				if (!live.containsKey(thread.getKey())) {
					this.ended += thread.getValue();
				}
			}
			for (long nanos : live.values()) {
				sum += nanos;
			}
			this.last = live;
			return sum + this.ended;
		}

	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

}
