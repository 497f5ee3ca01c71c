package io.ddp.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <pre>
 * java -cp ... io.ddp.bench.ClientBench --url ws://127.0.0.1:18090/websocket --server-pid 1234 \
 *     --scenarios 1x1,1x100,8x100 --warmup 3 --measure 5
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
		long self = ProcessHandle.current().pid();
		for (String scenario : arg(args, "scenarios", "1x1,1x100,8x100").split(",")) {
			boolean bare = scenario.trim().startsWith("jdk:");
			String[] parts = scenario.trim().replace("jdk:", "").split("x");
			int connections = Integer.parseInt(parts[0]);
			int inflight = Integer.parseInt(parts[1]);
			if (bare) {
				BareJdkLoop.run(url, inflight, warmup, measure, self, serverPid);
			}
			else {
				run(url, connections, inflight, warmup, measure, self, serverPid);
			}
		}
		System.exit(0);
	}

	private static void run(String url, int connectionCount, int inflight, int warmup, int measure, long self,
			long serverPid) throws Exception {
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
			if (inflight == 1) {
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
		long cpu0 = Cpu.processNanos(self);
		long server0 = (serverPid > 0) ? Cpu.processNanos(serverPid) : -1;
		long t0 = System.nanoTime();
		recording.set(true);
		Thread.sleep(measure * 1000L);
		recording.set(false);
		long t1 = System.nanoTime();
		long cpu1 = Cpu.processNanos(self);
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
		System.out.printf(Locale.ROOT,
				"RESULT client=java scenario=%dx%d calls=%d rate=%.0f p50us=%.1f p99us=%.1f clientCpuUsPerCall=%.2f "
						+ "serverCpuUsPerCall=%.2f errors=%d%n",
				connectionCount, inflight, n, n / seconds, merged.getValueAtPercentile(50) / 1000.0,
				merged.getValueAtPercentile(99) / 1000.0, (cpu1 - cpu0) / 1000.0 / Math.max(1, n),
				(server0 >= 0) ? (server1 - server0) / 1000.0 / Math.max(1, n) : -1.0, errors.get());
		for (DefaultDdpConnection connection : connections) {
			connection.close();
		}
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

	private static String arg(String[] args, String name, String fallback) {
		for (int i = 0; i < args.length - 1; i++) {
			if (args[i].equals("--" + name)) {
				return args[i + 1];
			}
		}
		return fallback;
	}

}
