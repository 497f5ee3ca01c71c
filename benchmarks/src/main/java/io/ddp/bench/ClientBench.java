package io.ddp.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.protocol.Ejson;
import org.HdrHistogram.Histogram;

/**
 * Throughput and latency of the Java DDP client ({@link DefaultDdpConnection}) against a
 * DDP server on loopback: {@code connections x calls in flight}, closed loop, each call
 * the benchmark's {@code echo(42, "hello", {a: true})} checked against its arguments.
 * With one call in flight the caller blocks in {@code call} (the result is handed over by
 * the I/O thread); with more, each completion of {@code callAsync} issues the next call
 * from the connection's callback thread. Prints one {@code RESULT} line per scenario:
 * calls/s, p50/p99 in microseconds (from {@code call} to completed future, so including
 * the {@code updated} wait), client CPU per call (this whole JVM, from {@code /proc}) and
 * server CPU per call.
 * <p>
 * A scenario prefixed {@code jdk:} runs {@link BareJdkLoop} instead ({@code jdk-pooled:}:
 * the same loop on the JDK's default executor); {@code async:} runs the Java client with
 * {@code callAsync} even at one call in flight, each call issued from the completion of
 * the one before on the callback thread (a hand-off to that thread instead of to a
 * blocked caller). With {@code --rounds n} every scenario is measured n times in this JVM
 * against the same server, each client and its bare-loop twin alternating which goes
 * first; then one {@code RESULT} line per scenario with the median rate and one
 * {@code COMPARE} line per scenario both ran: the median of the per-round ratios java /
 * bare loop (rate and p50).
 *
 * <pre>
 * java -cp ... io.ddp.bench.ClientBench --url ws://127.0.0.1:18090/websocket --server-pid 1234 \
 *     --scenarios jdk:1x1,1x1,jdk:1x100,1x100,8x100 --rounds 5 --warmup 2 --measure 3
 * </pre> Stops by itself after the scenarios; loopback only.
 */
public final class ClientBench {

	private static final List<Object> ARGS = List.of(42, "hello", Map.of("a", true));

	private ClientBench() {
	}

	public static void main(String[] args) throws Exception {
		String url = arg(args, "url", "ws://127.0.0.1:18090/websocket");
		if (!URI.create(url).getHost().equals("127.0.0.1") && !URI.create(url).getHost().equals("localhost")) {
			throw new IllegalArgumentException("loopback only: " + url);
		}
		long serverPid = Long.parseLong(arg(args, "server-pid", "0"));
		int warmup = Integer.parseInt(arg(args, "warmup", "3"));
		int measure = Integer.parseInt(arg(args, "measure", "5"));
		int rounds = Integer.parseInt(arg(args, "rounds", "1"));
		List<String> scenarios = new ArrayList<>();
		for (String scenario : arg(args, "scenarios", "1x1,1x100,8x100").split(",")) {
			scenarios.add(scenario.trim());
		}
		Map<String, List<ClientMeasurement>> results = new LinkedHashMap<>();
		for (int round = 0; round < rounds; round++) {
			for (String scenario : inRound(scenarios, round)) {
				ClientMeasurement measured = measure(scenario, url, warmup, measure, serverPid);
				results.computeIfAbsent(scenario, (key) -> new ArrayList<>()).add(measured);
				System.out.println(measured.resultLine() + ((rounds > 1) ? " round=" + (round + 1) : ""));
			}
		}
		if (rounds > 1) {
			for (Map.Entry<String, List<ClientMeasurement>> entry : results.entrySet()) {
				System.out.println(median(entry.getValue()).resultLine());
			}
			compare(results);
		}
		System.exit(0);
	}

	/**
	 * The scenarios of one round: a client and its bare-loop twins on the same scenario
	 * (consecutive in the list) run back to back, in the given order in even rounds and
	 * reversed in odd ones, so none always meets the server (or the JIT, or the machine)
	 * in the same state.
	 */
	private static List<String> inRound(List<String> scenarios, int round) {
		List<String> ordered = new ArrayList<>();
		int start = 0;
		for (int i = 1; i <= scenarios.size(); i++) {
			if (i == scenarios.size() || !shape(scenarios.get(i)).equals(shape(scenarios.get(start)))) {
				List<String> group = new ArrayList<>(scenarios.subList(start, i));
				if (round % 2 == 1) {
					Collections.reverse(group);
				}
				ordered.addAll(group);
				start = i;
			}
		}
		return ordered;
	}

	private static String shape(String scenario) {
		return scenario.substring(scenario.indexOf(':') + 1);
	}

	private static ClientMeasurement measure(String scenario, String url, int warmup, int measure, long serverPid)
			throws Exception {
		String[] parts = shape(scenario).split("x");
		int connections = Integer.parseInt(parts[0]);
		int inflight = Integer.parseInt(parts[1]);
		if (scenario.startsWith("jdk:") || scenario.startsWith("jdk-pooled:")) {
			if (connections != 1) {
				throw new IllegalArgumentException("the bare JDK loop has one connection: " + scenario);
			}
			return BareJdkLoop.run(url, inflight, scenario.startsWith("jdk:"), warmup, measure, serverPid);
		}
		return run(url, connections, inflight, scenario.startsWith("async:"), warmup, measure, serverPid);
	}

	/** The measurement with the median rate (its own latencies and CPU figures). */
	private static ClientMeasurement median(List<ClientMeasurement> measurements) {
		List<ClientMeasurement> sorted = new ArrayList<>(measurements);
		sorted.sort(Comparator.comparingDouble(ClientMeasurement::rate));
		ClientMeasurement median = sorted.get(sorted.size() / 2);
		return new ClientMeasurement(median.client() + "-median-of-" + sorted.size(), median.scenario(), median.calls(),
				median.rate(), median.p50us(), median.p99us(), median.clientCpuUsPerCall(), median.serverCpuUsPerCall(),
				median.errors());
	}

	/**
	 * Per scenario run by both, the Java client against the bare loop of the same round:
	 * the median of the rate ratios, and the median of the p50 ratios (with one call in
	 * flight, the bare loop's p50 is the server's own round trip).
	 */
	private static void compare(Map<String, List<ClientMeasurement>> results) {
		for (Map.Entry<String, List<ClientMeasurement>> entry : results.entrySet()) {
			if (entry.getKey().contains(":")) {
				continue;
			}
			String shape = shape(entry.getKey());
			for (String baseline : List.of("jdk", "jdk-pooled")) {
				List<ClientMeasurement> bare = results.get(baseline + ":" + shape);
				if (bare != null) {
					compare(shape, baseline, entry.getValue(), bare);
				}
			}
		}
	}

	private static void compare(String shape, String baseline, List<ClientMeasurement> java,
			List<ClientMeasurement> bare) {
		List<Double> rates = new ArrayList<>();
		List<Double> p50s = new ArrayList<>();
		for (int i = 0; i < Math.min(java.size(), bare.size()); i++) {
			rates.add(java.get(i).rate() / bare.get(i).rate());
			p50s.add(java.get(i).p50us() / bare.get(i).p50us());
		}
		System.out.printf(Locale.ROOT,
				"COMPARE scenario=%s baseline=%s rateRatioMedian=%.3f p50RatioMedian=%.3f bareP50usMedian=%.1f "
						+ "rateRatios=%s p50Ratios=%s%n",
				shape, baseline, middle(rates), middle(p50s),
				middle(bare.stream().map(ClientMeasurement::p50us).collect(Collectors.toList())), format(rates),
				format(p50s));
	}

	private static double middle(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static String format(List<Double> values) {
		return values.stream()
			.map((value) -> String.format(Locale.ROOT, "%.3f", value))
			.collect(Collectors.joining(","));
	}

	private static ClientMeasurement run(String url, int connectionCount, int inflight, boolean async, int warmup,
			int measure, long serverPid) throws Exception {
		Ejson ejson = Ejson.createDefault();
		List<DefaultDdpConnection> connections = new ArrayList<>();
		for (int i = 0; i < connectionCount; i++) {
			DefaultDdpConnection connection = new DefaultDdpConnection("bench-" + i,
					DdpClientOptions.builder(URI.create(url)).callTimeout(Duration.ofSeconds(30)).build(), ejson);
			connection.connect();
			connections.add(connection);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		for (DefaultDdpConnection connection : connections) {
			while (connection.status().state() != ConnectionState.CONNECTED) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("not connected: " + connection.status());
				}
				Thread.sleep(5);
			}
		}
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicBoolean recording = new AtomicBoolean(false);
		AtomicLong calls = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		List<Histogram> histograms = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		List<CompletableFuture<Void>> loops = new ArrayList<>();
		for (DefaultDdpConnection connection : connections) {
			if (inflight == 1 && !async) {
				Histogram histogram = new Histogram(60_000_000_000L, 3);
				histograms.add(histogram);
				Thread thread = new Thread(() -> {
					while (running.get()) {
						long start = System.nanoTime();
						try {
							Object result = connection.call("echo", ARGS.toArray());
							long took = System.nanoTime() - start;
							if (!ARGS.equals(result)) {
								errors.incrementAndGet();
							}
							if (recording.get()) {
								histogram.recordValue(took);
								calls.incrementAndGet();
							}
						}
						catch (RuntimeException ex) {
							errors.incrementAndGet();
						}
					}
				}, "bench-caller");
				thread.start();
				threads.add(thread);
			}
			else {
				// one histogram per connection: its completions all run on its callback
				// thread
				Histogram histogram = new Histogram(60_000_000_000L, 3);
				histograms.add(histogram);
				for (int i = 0; i < inflight; i++) {
					CompletableFuture<Void> stopped = new CompletableFuture<>();
					loops.add(stopped);
					next(connection, histogram, running, recording, calls, errors, stopped);
				}
			}
		}
		Thread.sleep(warmup * 1000L);
		for (Histogram histogram : histograms) {
			synchronized (histogram) {
				histogram.reset();
			}
		}
		long cpu0 = ClientBench.selfCpuNanos();
		long server0 = (serverPid > 0) ? Cpu.processNanos(serverPid) : -1;
		long t0 = System.nanoTime();
		recording.set(true);
		Thread.sleep(measure * 1000L);
		recording.set(false);
		long t1 = System.nanoTime();
		long cpu1 = ClientBench.selfCpuNanos();
		long server1 = (serverPid > 0) ? Cpu.processNanos(serverPid) : -1;
		long n = calls.get();
		running.set(false);
		for (Thread thread : threads) {
			thread.join(10_000);
		}
		for (CompletableFuture<Void> loop : loops) {
			loop.get(30, TimeUnit.SECONDS);
		}
		Histogram merged = new Histogram(60_000_000_000L, 3);
		for (Histogram histogram : histograms) {
			synchronized (histogram) {
				merged.add(histogram);
			}
		}
		double seconds = (t1 - t0) / 1e9;
		for (DefaultDdpConnection connection : connections) {
			connection.close();
		}
		return new ClientMeasurement(async ? "java-async" : "java", connectionCount + "x" + inflight, n, n / seconds,
				merged.getValueAtPercentile(50) / 1000.0, merged.getValueAtPercentile(99) / 1000.0,
				(cpu1 - cpu0) / 1000.0 / Math.max(1, n),
				(server0 >= 0) ? (server1 - server0) / 1000.0 / Math.max(1, n) : -1.0, errors.get());
	}

	private static void next(DefaultDdpConnection connection, Histogram histogram, AtomicBoolean running,
			AtomicBoolean recording, AtomicLong calls, AtomicLong errors, CompletableFuture<Void> stopped) {
		if (!running.get()) {
			stopped.complete(null);
			return;
		}
		long start = System.nanoTime();
		connection.callAsync("echo", ARGS.toArray()).whenComplete((result, ex) -> {
			long took = System.nanoTime() - start;
			if (ex != null || !ARGS.equals(result)) {
				errors.incrementAndGet();
			}
			else if (recording.get()) {
				synchronized (histogram) {
					histogram.recordValue(took);
				}
				calls.incrementAndGet();
			}
			next(connection, histogram, running, recording, calls, errors, stopped);
		});
	}

	/**
	 * This JVM's CPU time, dead threads included: summing {@code /proc/self/task/*} loses
	 * the threads that ended in the window (a closed connection's), which made the figure
	 * negative at times.
	 * @return nanoseconds
	 */
	static long selfCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static String arg(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals("--" + name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

}
