package io.ddp.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

/**
 * One load-generator process, driven by the runner ({@link io.ddp.bench.Runner}) over
 * stdin/stdout.
 *
 * <pre>
 * LoadGen --mode echo|sessions|idle --url ws://127.0.0.1:PORT/path --proto ddp|raw
 *         [--connections N] [--inflight K] [--threads T] [--max-calls M] [--max-seconds S]
 *         [--sub-name items] [--sub-params [1]]
 * LoadGen --mode fanout --url ... --connections N [--inflight 200] [--sub-name board.all]
 * LoadGen --mode fanout-caller --url ... --writes K --spacing-ms 300 [--warm-writes 5] [--doc d0]
 * LoadGen --mode propagation --url WRITER_WS --sub-url SUBSCRIBER_WS --docs N --writers W (--rate R | --inflight K)
 *         [--max-writes M] [--drain-seconds 10]
 * </pre> Fan-out: {@code fanout} opens N subscribed sessions, prints {@code READY}, and
 * on {@code STOP} prints {@code RESULT changed=.. ready=.. w=stamp:hist,...} (per write:
 * delivery latencies in µs); {@code fanout-caller} opens one session, prints
 * {@code READY}, on {@code WARM} makes the warm-up writes and prints {@code WARMED}, on
 * {@code GO} makes K writes, each {@code --spacing-ms} after the previous one's result,
 * and prints {@code DONE writes=.. ok=..}; on {@code ONE} makes one write and prints
 * {@code DONE writes=1 ok=..} once its result is back (the runner drives the writes this
 * way). Propagation: see {@link PropagationDriver}.
 *
 * Prints {@code READY ...} once its connections are up (echo, idle) or at once
 * (sessions), then obeys stdin lines: {@code GO} (start load, not recorded),
 * {@code MEASURE} (record from now), {@code STOP} (stop and print {@code RESULT ...} with
 * count, window and the latency histogram), {@code STATUS}, {@code QUIT}. It exits by
 * itself after {@code --max-seconds} or when stdin closes, and never sends more than
 * {@code --max-calls} calls / sessions: every run is bounded. Only loopback targets are
 * accepted.
 */
public final class LoadGen {

	private final Map<String, String> options;

	private final Control control = new Control();

	private final List<WsLoop> loops = new ArrayList<>();

	private final List<WsConn> connections = new ArrayList<>();

	private final PrintStream out = System.out;

	private long measureStart;

	private long measureEnd;

	private LoadGen(Map<String, String> options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		new LoadGen(options).run();
	}

	private String opt(String name, String fallback) {
		return this.options.getOrDefault(name, fallback);
	}

	private int intOpt(String name, int fallback) {
		return Integer.parseInt(opt(name, Integer.toString(fallback)));
	}

	private void run() throws Exception {
		int maxSeconds = intOpt("max-seconds", 120);
		Thread watchdog = new Thread(() -> {
			try {
				Thread.sleep(maxSeconds * 1000L);
				System.err.println("[loadgen] --max-seconds " + maxSeconds + " reached, exiting");
				System.exit(3);
			}
			catch (InterruptedException ex) {
				// done
			}
		}, "watchdog");
		watchdog.setDaemon(true);
		watchdog.start();

		URI uri = URI.create(opt("url", "ws://127.0.0.1:18080/websocket"));
		InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
		if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
			throw new IllegalArgumentException("only loopback targets are allowed: " + uri);
		}
		String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
		boolean ddp = !"raw".equals(opt("proto", "ddp"));
		String mode = opt("mode", "echo");
		int connections = intOpt("connections", 1);
		int inflight = intOpt("inflight", 1);
		int threads = Math.max(1, Math.min(intOpt("threads", 1), connections));
		long maxCalls = Long.parseLong(opt("max-calls", "50000000"));

		for (int i = 0; i < threads; i++) {
			WsLoop loop = new WsLoop(i);
			this.loops.add(loop);
			loop.start();
		}

		List<Runnable> starters = new ArrayList<>();
		List<IdleListener> idle = new ArrayList<>();
		List<FanoutListener> fanout = new ArrayList<>();
		FanoutCaller caller = null;
		switch (mode) {
			case "echo" -> {
				List<EchoListener> listeners = new ArrayList<>();
				for (WsLoop loop : this.loops) {
					listeners.add(new EchoListener(this.control, ddp, inflight, maxCalls / threads + 1));
				}
				onLoops(loop -> {
					for (int c = loop.index; c < connections; c += threads) {
						try {
							WsConn conn = new WsConn(loop, listeners.get(loop.index), address, path);
							synchronized (this.connections) {
								this.connections.add(conn);
							}
						}
						catch (IOException ex) {
							this.control.setupErrors.incrementAndGet();
							this.control.report("connect: " + ex);
						}
					}
				});
				awaitReady(connections, 60);
				for (WsLoop loop : this.loops) {
					EchoListener listener = listeners.get(loop.index);
					starters.add(() -> loop.execute(() -> {
						for (WsConn conn : connectionsOf(loop)) {
							listener.start(conn);
						}
					}));
				}
			}
			case "sessions" -> {
				// connections = sessions in flight
				String subName = opt("sub-name", "items");
				String subParams = opt("sub-params", "[1]");
				byte[] sub = Ddp.sub("1", subName, subParams);
				for (WsLoop loop : this.loops) {
					int slots = connections / threads + (loop.index < connections % threads ? 1 : 0);
					SessionListener listener = new SessionListener(this.control, loop, ddp, address, path, sub,
							maxCalls / threads + 1);
					starters.add(() -> loop.execute(() -> {
						for (int i = 0; i < slots; i++) {
							listener.startOne();
						}
					}));
				}
				this.out.println("READY ready=0 errors=0");
				this.out.flush();
			}
			case "idle" -> {
				int concurrency = intOpt("inflight", 200);
				for (WsLoop loop : this.loops) {
					long share = connections / threads + (loop.index < connections % threads ? 1 : 0);
					IdleListener listener = new IdleListener(this.control, loop, ddp, address, path, share);
					idle.add(listener);
					loop.execute(() -> {
						for (int i = 0; i < Math.min(concurrency / threads + 1, share); i++) {
							listener.startOne();
						}
					});
				}
				awaitReady(connections, Math.max(30, maxSeconds - 10));
			}
			case "fanout" -> {
				int concurrency = intOpt("inflight", 200);
				byte[] sub = Ddp.sub("b", opt("sub-name", "board.all"), "[]");
				for (WsLoop loop : this.loops) {
					long share = connections / threads + (loop.index < connections % threads ? 1 : 0);
					FanoutListener listener = new FanoutListener(this.control, loop, address, path, share, sub);
					fanout.add(listener);
					loop.execute(() -> {
						for (int i = 0; i < Math.min(concurrency / threads + 1, share); i++) {
							listener.startOne();
						}
					});
				}
				awaitReady(connections, Math.max(30, maxSeconds - 10));
			}
			case "propagation" -> {
				URI subUri = URI.create(opt("sub-url", uri.toString()));
				InetSocketAddress subAddress = new InetSocketAddress(subUri.getHost(), subUri.getPort());
				if (subAddress.getAddress() == null || !subAddress.getAddress().isLoopbackAddress()) {
					throw new IllegalArgumentException("only loopback targets are allowed: " + subUri);
				}
				PropagationDriver driver = new PropagationDriver(this.control, this.loops.get(0), intOpt("docs", 1000),
						intOpt("writers", 50), intOpt("rate", 0), intOpt("inflight", 1),
						intOpt("max-writes", 2_000_000));
				driver.connect(address, path, subAddress, subUri.getRawPath());
				driver.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), this.out, 30,
						intOpt("drain-seconds", 10));
				driver.close();
				quit(idle, fanout);
				return;
			}
			case "fanout-caller" -> {
				caller = new FanoutCaller(this.control, this.loops.get(0), address, path, opt("doc", "d0"));
				awaitReady(1, 30);
			}
			default -> throw new IllegalArgumentException("unknown --mode " + mode);
		}

		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			String command = line.trim();
			if (caller != null && command.equals("ONE")) {
				this.out.println("DONE writes=1 ok=" + (caller.call() ? 1 : 0));
				this.out.flush();
				continue;
			}
			if (caller != null && (command.equals("WARM") || command.equals("GO"))) {
				boolean warm = command.equals("WARM");
				int writes = warm ? intOpt("warm-writes", 5) : intOpt("writes", 20);
				int ok = 0;
				for (int k = 0; k < writes; k++) {
					if (caller.call()) {
						ok++;
					}
					Thread.sleep(intOpt("spacing-ms", 300));
				}
				this.out.println((warm ? "WARMED" : "DONE") + " writes=" + writes + " ok=" + ok);
				this.out.flush();
				continue;
			}
			if (!fanout.isEmpty() && command.equals("STOP")) {
				this.control.phase = Control.STOP;
				printFanout(fanout);
				continue;
			}
			switch (command) {
				case "GO" -> {
					this.control.phase = Control.WARM;
					starters.forEach(Runnable::run);
				}
				case "MEASURE" -> {
					this.measureStart = System.nanoTime();
					this.control.phase = Control.MEASURE;
				}
				case "STOP" -> {
					this.control.phase = Control.STOP;
					this.measureEnd = System.nanoTime();
					printResult();
				}
				case "STATUS" -> {
					this.out.println("STATUS open=" + this.control.open.get() + " ready=" + this.control.ready.get()
							+ " lost=" + this.control.lost.get() + " errors=" + this.control.setupErrors.get()
							+ " pings=" + this.control.pings.get() + " changed=" + this.control.changed.get());
					this.out.flush();
				}
				case "QUIT" -> {
					quit(idle, fanout);
					return;
				}
				default -> System.err.println("[loadgen] unknown command " + line);
			}
		}
		quit(idle, fanout);
	}

	private List<WsConn> connectionsOf(WsLoop loop) {
		List<WsConn> mine = new ArrayList<>();
		synchronized (this.connections) {
			for (WsConn conn : this.connections) {
				if (conn.loop == loop) {
					mine.add(conn);
				}
			}
		}
		return mine;
	}

	private void onLoops(Consumer<WsLoop> action) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(this.loops.size());
		for (WsLoop loop : this.loops) {
			loop.execute(() -> {
				try {
					action.accept(loop);
				}
				finally {
					done.countDown();
				}
			});
		}
		done.await(30, TimeUnit.SECONDS);
	}

	private void awaitReady(int expected, int seconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		while (this.control.ready.get() + this.control.setupErrors.get() < expected && System.nanoTime() < deadline
				&& this.control.setupErrors.get() <= 1000) {
			Thread.sleep(20);
		}
		this.out.println("READY ready=" + this.control.ready.get() + " errors=" + this.control.setupErrors.get());
		this.out.flush();
	}

	private void printFanout(List<FanoutListener> fanout) throws InterruptedException {
		java.util.TreeMap<Long, Histogram> perWrite = new java.util.TreeMap<>();
		long[] sums = new long[2];
		onLoops(loop -> {
			for (FanoutListener listener : fanout) {
				if (listener.loop != loop) {
					continue;
				}
				synchronized (perWrite) {
					for (Map.Entry<Long, Histogram> e : listener.perWrite.entrySet()) {
						perWrite.computeIfAbsent(e.getKey(), k -> new Histogram(60_000_000L, 3)).add(e.getValue());
					}
				}
			}
		});
		StringBuilder w = new StringBuilder();
		for (FanoutListener listener : fanout) {
			sums[0] += listener.changed;
			sums[1] += listener.badChanged;
		}
		for (Map.Entry<Long, Histogram> e : perWrite.entrySet()) {
			Histogram h = e.getValue();
			ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
			int n = h.encodeIntoCompressedByteBuffer(buffer);
			byte[] bytes = new byte[n];
			buffer.flip();
			buffer.get(bytes);
			w.append(w.length() == 0 ? "" : ",")
				.append(e.getKey())
				.append(':')
				.append(Base64.getEncoder().encodeToString(bytes));
		}
		this.out.println("RESULT changed=" + sums[0] + " bad=" + sums[1] + " ready=" + this.control.ready.get()
				+ " lost=" + this.control.lost.get() + " setupErrors=" + this.control.setupErrors.get() + " writes="
				+ perWrite.size() + " w=" + w);
		this.out.flush();
	}

	private void printResult() throws InterruptedException {
		Histogram total = new Histogram(60_000_000_000L, 3);
		long[] sums = new long[5];
		onLoops(loop -> {
			synchronized (total) {
				total.add(loop.stats.latency);
				sums[0] += loop.stats.completed;
				sums[1] += loop.stats.errors;
				sums[2] += loop.stats.ready;
				sums[3] += loop.stats.nosub;
				sums[4] += loop.stats.sent;
			}
		});
		ByteBuffer buffer = ByteBuffer.allocate(total.getNeededByteBufferCapacity());
		int n = total.encodeIntoCompressedByteBuffer(buffer);
		byte[] bytes = new byte[n];
		buffer.flip();
		buffer.get(bytes);
		double seconds = (this.measureEnd - this.measureStart) / 1e9;
		this.out.println("RESULT count=" + sums[0] + " seconds=" + seconds + " errors=" + sums[1] + " ready=" + sums[2]
				+ " nosub=" + sums[3] + " sent=" + sums[4] + " lost=" + this.control.lost.get() + " setupErrors="
				+ this.control.setupErrors.get() + " hist=" + Base64.getEncoder().encodeToString(bytes));
		this.out.flush();
	}

	private void quit(List<IdleListener> idle, List<FanoutListener> fanout) throws InterruptedException {
		this.control.phase = Control.STOP;
		onLoops(loop -> {
			for (WsConn conn : connectionsOf(loop)) {
				conn.close();
			}
			for (FanoutListener listener : fanout) {
				for (WsConn conn : listener.connections) {
					if (conn.loop == loop) {
						conn.close();
					}
				}
			}
			for (IdleListener listener : idle) {
				for (WsConn conn : listener.connections) {
					if (conn.loop == loop) {
						conn.close();
					}
				}
			}
		});
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.control.open.get() > 0 && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		for (WsLoop loop : this.loops) {
			loop.shutdown();
		}
		System.exit(0);
	}

}
