package io.ddp.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * The baseline for {@link ClientBench}: a bare DDP call loop on the JDK's
 * {@code java.net.http.WebSocket} with no client library: fixed frames, the
 * {@code result} found by string search, {@code updated} ignored, the next call sent from
 * the listener. What the JDK WebSocket itself costs.
 * <p>
 * By default its {@code HttpClient} has a direct executor, as the Java client's has, so
 * the JDK calls the listener on its selector thread. With the JDK's default executor
 * ({@code direct = false}) every read is handed to a pooled worker thread: that costs a
 * thread hand-off per read, and what it costs depends on how busy the machine's cores
 * are, which made this loop's figure swing from 23k to 58k calls/s between runs.
 */
final class BareJdkLoop implements WebSocket.Listener {

	private static final String PREFIX = "{\"msg\":\"method\",\"id\":\"";

	private static final String SUFFIX = "\",\"method\":\"echo\",\"params\":[42,\"hello\",{\"a\":true}]}";

	private final ConcurrentLinkedQueue<String> outbox = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final long[] sentAt = new long[1 << 20];

	private final AtomicLong nextId = new AtomicLong();

	private final CompletableFuture<Void> connected = new CompletableFuture<>();

	private final Histogram histogram = new Histogram(60_000_000_000L, 3);

	private volatile boolean recording;

	private volatile boolean running = true;

	private long calls;

	private WebSocket webSocket;

	private StringBuilder partial;

	static ClientMeasurement run(String url, int inflight, boolean direct, int warmup, int measure, long serverPid)
			throws Exception {
		BareJdkLoop loop = new BareJdkLoop();
		HttpClient client = direct ? HttpClient.newBuilder().executor(Runnable::run).build()
				: HttpClient.newHttpClient();
		loop.webSocket = client.newWebSocketBuilder().buildAsync(URI.create(url), loop).get();
		loop.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
		loop.connected.get(10, TimeUnit.SECONDS);
		for (int i = 0; i < inflight; i++) {
			loop.call();
		}
		Thread.sleep(warmup * 1000L);
		synchronized (loop) {
			loop.histogram.reset();
			loop.calls = 0;
			loop.recording = true;
		}
		long cpu0 = ClientBench.selfCpuNanos();
		long server0 = (serverPid > 0) ? Cpu.processNanos(serverPid) : -1;
		long t0 = System.nanoTime();
		Thread.sleep(measure * 1000L);
		long n;
		synchronized (loop) {
			loop.recording = false;
			n = loop.calls;
		}
		long t1 = System.nanoTime();
		long cpu1 = ClientBench.selfCpuNanos();
		long server1 = (serverPid > 0) ? Cpu.processNanos(serverPid) : -1;
		loop.running = false;
		double p50;
		double p99;
		synchronized (loop) {
			p50 = loop.histogram.getValueAtPercentile(50) / 1000.0;
			p99 = loop.histogram.getValueAtPercentile(99) / 1000.0;
		}
		// let the calls in flight drain before the socket goes, so the server is idle for
		// whatever runs next
		Thread.sleep(200);
		loop.webSocket.abort();
		return new ClientMeasurement(direct ? "bare-jdk-websocket" : "bare-jdk-websocket-pooled", "1x" + inflight, n,
				n / ((t1 - t0) / 1e9), p50, p99, (cpu1 - cpu0) / 1000.0 / Math.max(1, n),
				(server0 >= 0) ? (server1 - server0) / 1000.0 / Math.max(1, n) : -1.0, 0);
	}

	private void call() {
		long id = this.nextId.incrementAndGet();
		this.sentAt[(int) (id & (this.sentAt.length - 1))] = System.nanoTime();
		send(PREFIX + id + SUFFIX);
	}

	private void send(String text) {
		this.outbox.add(text);
		if (this.sending.compareAndSet(false, true)) {
			drain();
		}
	}

	private void drain() {
		while (true) {
			String text = this.outbox.poll();
			if (text == null) {
				this.sending.set(false);
				if (this.outbox.isEmpty() || !this.sending.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			CompletableFuture<WebSocket> sent = this.webSocket.sendText(text, true);
			if (!sent.isDone()) {
				sent.whenComplete((ws, ex) -> drain());
				return;
			}
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		webSocket.request(Long.MAX_VALUE);
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		if (!last) {
			if (this.partial == null) {
				this.partial = new StringBuilder();
			}
			this.partial.append(data);
			return null;
		}
		String text = (this.partial != null) ? this.partial.append(data).toString() : data.toString();
		this.partial = null;
		if (text.startsWith("{\"msg\":\"result\",\"id\":\"")) {
			int start = "{\"msg\":\"result\",\"id\":\"".length();
			long id = Long.parseLong(text.substring(start, text.indexOf('"', start)));
			long took = System.nanoTime() - this.sentAt[(int) (id & (this.sentAt.length - 1))];
			synchronized (this) {
				if (this.recording) {
					this.histogram.recordValue(took);
					this.calls++;
				}
			}
			if (this.running) {
				call();
			}
		}
		else if (text.startsWith("{\"msg\":\"connected\"")) {
			this.connected.complete(null);
		}
		return null;
	}

}
