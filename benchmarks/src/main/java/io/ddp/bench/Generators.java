package io.ddp.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * A group of load-generator processes ({@code io.ddp.bench.load.LoadGen}) driven in
 * lockstep.
 */
final class Generators implements AutoCloseable {

	private final List<Gen> gens = new ArrayList<>();

	private Generators() {
	}

	private static final class Gen {

		final Process process;

		final Writer stdin;

		final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		Gen(Process process) {
			this.process = process;
			this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
			Thread reader = new Thread(() -> {
				try (BufferedReader r = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = r.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// process gone
				}
				this.lines.add("EOF");
			}, "gen-reader-" + process.pid());
			reader.setDaemon(true);
			reader.start();
		}

		void send(String command) throws IOException {
			this.stdin.write(command + "\n");
			this.stdin.flush();
		}

		Map<String, String> expect(String prefix, int seconds) throws InterruptedException {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
			while (true) {
				long left = deadline - System.nanoTime();
				String line = left > 0 ? this.lines.poll(left, TimeUnit.NANOSECONDS) : null;
				if (line == null) {
					throw new IllegalStateException(
							"load generator " + this.process.pid() + ": no " + prefix + " within " + seconds + " s");
				}
				if (line.equals("EOF")) {
					throw new IllegalStateException(
							"load generator " + this.process.pid() + " exited before " + prefix);
				}
				if (line.startsWith(prefix + " ") || line.equals(prefix)) {
					Map<String, String> values = new HashMap<>();
					for (String part : line.substring(prefix.length()).trim().split(" ")) {
						int eq = part.indexOf('=');
						if (eq > 0) {
							values.put(part.substring(0, eq), part.substring(eq + 1));
						}
					}
					return values;
				}
				System.out.println("    [gen " + this.process.pid() + "] " + line);
			}
		}

	}

	/**
	 * Starts {@code processes} generators; {@code argsFor(i)} gives process i's LoadGen
	 * arguments. Their stderr goes to {@code log}.
	 */
	static Generators start(String java, String classpath, int processes,
			java.util.function.IntFunction<List<String>> argsFor, Path log) throws IOException {
		Generators group = new Generators();
		for (int i = 0; i < processes; i++) {
			List<String> command = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
					"-XX:ParallelGCThreads=1", "-Xss512k", "-cp", classpath, "io.ddp.bench.load.LoadGen"));
			command.addAll(argsFor.apply(i));
			ProcessBuilder pb = new ProcessBuilder(command);
			pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
			group.gens.add(new Gen(pb.start()));
		}
		return group;
	}

	List<Long> pids() {
		return this.gens.stream().map(g -> g.process.pid()).toList();
	}

	long cpuTicks() {
		long sum = 0;
		for (Gen g : this.gens) {
			long t = Cpu.processTicks(g.process.pid());
			sum += Math.max(t, 0);
		}
		return sum;
	}

	void send(String command) throws IOException {
		for (Gen g : this.gens) {
			g.send(command);
		}
	}

	List<Map<String, String>> expect(String prefix, int seconds) throws InterruptedException {
		List<Map<String, String>> all = new ArrayList<>();
		for (Gen g : this.gens) {
			all.add(g.expect(prefix, seconds));
		}
		return all;
	}

	static long sum(List<Map<String, String>> results, String key) {
		long total = 0;
		for (Map<String, String> r : results) {
			total += Long.parseLong(r.getOrDefault(key, "0"));
		}
		return total;
	}

	static Histogram histogram(List<Map<String, String>> results) {
		Histogram total = new Histogram(60_000_000_000L, 3);
		for (Map<String, String> r : results) {
			byte[] bytes = Base64.getDecoder().decode(r.get("hist"));
			try {
				total.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
			}
			catch (java.util.zip.DataFormatException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return total;
	}

	/** Sum over processes of count / own window: the aggregate rate. */
	static double rate(List<Map<String, String>> results) {
		double rate = 0;
		for (Map<String, String> r : results) {
			rate += Long.parseLong(r.get("count")) / Double.parseDouble(r.get("seconds"));
		}
		return rate;
	}

	@Override
	public void close() {
		for (Gen g : this.gens) {
			try {
				g.send("QUIT");
			}
			catch (IOException ex) {
				// already gone
			}
		}
		for (Gen g : this.gens) {
			try {
				if (!g.process.waitFor(10, TimeUnit.SECONDS)) {
					g.process.destroy();
					if (!g.process.waitFor(3, TimeUnit.SECONDS)) {
						g.process.destroyForcibly();
					}
				}
			}
			catch (InterruptedException ex) {
				g.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

}
