package io.ddp.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;

/**
 * The propagation generator ({@code --mode propagation}): {@code --writers} sessions on
 * instance A call {@code bench.touch("p<k mod docs>", k)} for write k = 1, 2, ... (a
 * session runs its methods one at a time, as DDP requires, so one session's rate is
 * bounded by one write's latency), and one subscriber session on instance B (A itself for
 * the in-memory baseline) subscribed to {@code bench.all} times the {@code changed} frame
 * whose field {@code n} is k. Both are on one loop thread of this process, so the latency
 * is read on one clock: from the write's send to its {@code changed}.
 * <p>
 * Writes are either paced ({@code --rate R}: open loop, write k is due at start + k/R
 * whatever the answers) or closed-loop ({@code --inflight K}: each {@code result} sends
 * the next write). Commands: {@code GO} (write, unrecorded), {@code MEASURE} (record the
 * writes sent from now), {@code STOP} (stop writing, wait up to {@code --drain-seconds}
 * for the measured writes' results and {@code changed} frames, print {@code RESULT}),
 * {@code QUIT}. Bounded by {@code --max-writes}.
 */
final class PropagationDriver {

	private static final byte[] CHANGED = Ddp.ascii("\"msg\":\"changed\"");

	private static final byte[] N_KEY = Ddp.ascii("\"n\":");

	private static final byte[] RESULT_TRUE = Ddp.ascii("\"result\":true");

	// A write answered less than this before the end is still in flight, not lost
	private static final long IN_FLIGHT_NANOS = 2_000_000_000L;

	private final Control control;

	private final WsLoop loop;

	private final int docs;

	private final int rate;

	private final int inflight;

	private final int maxWrites;

	// By write number (1-based): send time, change seen time (System.nanoTime), 0 = none
	private final long[] sentAt;

	private final long[] seenAt;

	private final boolean[] answered;

	// By write number: when its result came back (System.nanoTime), 0 = not yet
	private final long[] answeredAt;

	// By document: the highest write number a changed frame carried
	private final long[] lastSeen;

	private final Histogram propagation = new Histogram(60_000_000L, 3);

	private final Histogram method = new Histogram(60_000_000L, 3);

	private final WsConn[] writers;

	private WsConn subscriber;

	private volatile int writersReady;

	private volatile boolean subscriberReady;

	private volatile boolean writing;

	// Loop thread only
	private int next = 1;

	private int firstMeasured = Integer.MAX_VALUE;

	private int lastMeasured = Integer.MAX_VALUE;

	private long measuredResults;

	private long results;

	private long errors;

	private long unexpected;

	private long duplicates;

	private long maxLagNanos;

	private long measureStart;

	private long measureEnd;

	PropagationDriver(Control control, WsLoop loop, int docs, int writers, int rate, int inflight, int maxWrites) {
		this.control = control;
		this.writers = new WsConn[writers];
		this.loop = loop;
		this.docs = docs;
		this.rate = rate;
		this.inflight = inflight;
		this.maxWrites = maxWrites;
		this.sentAt = new long[maxWrites + 1];
		this.seenAt = new long[maxWrites + 1];
		this.answered = new boolean[maxWrites + 1];
		this.answeredAt = new long[maxWrites + 1];
		this.lastSeen = new long[docs];
	}

	void connect(InetSocketAddress writerAddress, String writerPath, InetSocketAddress subAddress, String subPath)
			throws InterruptedException {
		this.loop.execute(() -> {
			try {
				for (int i = 0; i < this.writers.length; i++) {
					this.writers[i] = new WsConn(this.loop, new Writer(), writerAddress, writerPath);
				}
				this.subscriber = new WsConn(this.loop, new Subscriber(), subAddress, subPath);
			}
			catch (IOException ex) {
				this.control.setupErrors.incrementAndGet();
				this.control.report("connect: " + ex);
			}
		});
	}

	/**
	 * Obeys the runner's commands until {@code QUIT} or the end of stdin.
	 */
	void run(BufferedReader in, PrintStream out, int readySeconds, int drainSeconds) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readySeconds);
		while (!(this.writersReady == this.writers.length && this.subscriberReady) && System.nanoTime() < deadline
				&& this.control.setupErrors.get() == 0) {
			Thread.sleep(10);
		}
		out.println("READY writers=" + this.writersReady + " subscribers=" + (this.subscriberReady ? 1 : 0) + " errors="
				+ this.control.setupErrors.get());
		out.flush();
		Thread pacer = null;
		String line;
		while ((line = in.readLine()) != null) {
			switch (line.trim()) {
				case "GO" -> {
					this.control.phase = Control.WARM;
					this.writing = true;
					if (this.rate > 0) {
						pacer = new Thread(this::pace, "pacer");
						pacer.setDaemon(true);
						pacer.start();
					}
					else {
						onLoop(() -> {
							for (WsConn writer : this.writers) {
								for (int i = 0; i < this.inflight; i++) {
									send(writer, System.nanoTime());
								}
								flush(writer);
							}
						});
					}
				}
				case "MEASURE" -> onLoop(() -> {
					this.control.phase = Control.MEASURE;
					this.measureStart = System.nanoTime();
					this.firstMeasured = this.next;
				});
				case "STOP" -> {
					this.writing = false;
					if (pacer != null) {
						pacer.join(2000);
					}
					onLoop(() -> {
						this.measureEnd = System.nanoTime();
						this.lastMeasured = this.next - 1;
						this.control.phase = Control.STOP;
					});
					drain(drainSeconds);
					onLoop(() -> printResult(out));
				}
				case "QUIT" -> {
					return;
				}
				default -> System.err.println("[loadgen] unknown command " + line);
			}
		}
	}

	/**
	 * Closes both sessions (close handshake).
	 */
	void close() throws InterruptedException {
		this.writing = false;
		this.control.phase = Control.STOP;
		onLoop(() -> {
			for (WsConn writer : this.writers) {
				if (writer != null) {
					writer.close();
				}
			}
			if (this.subscriber != null) {
				this.subscriber.close();
			}
		});
	}

	// Open loop: write k is due at start + k / rate, on writer k mod writers; late writes
	// go at once.
	private void pace() {
		long period = 1_000_000_000L / this.rate;
		long start = System.nanoTime();
		for (long k = 0; this.writing; k++) {
			long due = start + k * period;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			WsConn writer = this.writers[(int) (k % this.writers.length)];
			this.loop.execute(() -> {
				send(writer, due);
				flush(writer);
			});
		}
	}

	private void send(WsConn writer, long due) {
		if (!this.writing || this.next > this.maxWrites || !writer.isOpen()) {
			return;
		}
		int k = this.next++;
		String frame = "{\"msg\":\"method\",\"id\":\"" + k + "\",\"method\":\"bench.touch\",\"params\":[\"p"
				+ (k % this.docs) + "\"," + k + "]}";
		writer.sendText(frame.getBytes(StandardCharsets.UTF_8));
		long now = System.nanoTime();
		this.sentAt[k] = now;
		this.maxLagNanos = Math.max(this.maxLagNanos, now - due);
	}

	private void flush(WsConn conn) {
		try {
			conn.flush();
		}
		catch (IOException ex) {
			conn.closeNow(ex.toString());
		}
	}

	private void drain(int seconds) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		boolean[] done = new boolean[1];
		while (System.nanoTime() < deadline) {
			onLoop(() -> done[0] = this.results >= this.next - 1 && unseen() == 0);
			if (done[0]) {
				return;
			}
			Thread.sleep(20);
		}
	}

	private long unseen() {
		long unseen = 0;
		for (int k = this.firstMeasured; k <= Math.min(this.lastMeasured, this.next - 1); k++) {
			if (this.seenAt[k] == 0) {
				unseen++;
			}
		}
		return unseen;
	}

	private void onLoop(Runnable task) throws InterruptedException {
		CountDownLatch done = new CountDownLatch(1);
		this.loop.execute(() -> {
			try {
				task.run();
			}
			finally {
				done.countDown();
			}
		});
		if (!done.await(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the loop thread did not answer within 10 s");
		}
	}

	private void printResult(PrintStream out) {
		long end = System.nanoTime();
		long lost = 0;
		long superseded = 0;
		long unanswered = 0;
		int last = Math.min(this.lastMeasured, this.next - 1);
		for (int k = this.firstMeasured; k <= last; k++) {
			if (this.seenAt[k] != 0) {
				continue;
			}
			if (!this.answered[k] || end - this.answeredAt[k] < IN_FLIGHT_NANOS) {
				// Not done on the writer's instance yet (queued behind the others), or
				// done only just before the end: not a loss of propagation
				unanswered++;
				continue;
			}
			// A later write to the same document that was seen: the server may send only
			// the newest value (DDP merges changes); a write nothing later covers is
			// lost.
			boolean covered = false;
			for (int j = k + this.docs; j < this.next && !covered; j += this.docs) {
				covered = this.seenAt[j] != 0;
			}
			if (covered) {
				superseded++;
			}
			else if (++lost <= 10) {
				System.err.println("[loadgen] propagation: write " + k + " (document p" + (k % this.docs)
						+ ") has no changed frame " + ((end - this.sentAt[k]) / 1_000_000) + " ms after its send, "
						+ ((end - this.answeredAt[k]) / 1_000_000) + " ms after its result; the newest write seen "
						+ "for the document is " + this.lastSeen[k % this.docs]);
			}
		}
		long measured = Math.max(0, last - this.firstMeasured + 1);
		double seconds = (this.measureEnd - this.measureStart) / 1e9;
		out.println("RESULT sent=" + measured + " results=" + this.measuredResults + " seconds=" + seconds + " errors="
				+ this.errors + " seen=" + this.propagation.getTotalCount() + " lost=" + lost + " superseded="
				+ superseded + " unanswered=" + unanswered + " unexpected=" + this.unexpected + " duplicates="
				+ this.duplicates + " maxLagUs=" + this.maxLagNanos / 1000 + " sessionsLost=" + this.control.lost.get()
				+ " hist=" + encode(this.propagation) + " mhist=" + encode(this.method));
		out.flush();
	}

	private static String encode(Histogram h) {
		ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
		int n = h.encodeIntoCompressedByteBuffer(buffer);
		byte[] bytes = new byte[n];
		buffer.flip();
		buffer.get(bytes);
		return Base64.getEncoder().encodeToString(bytes);
	}

	private boolean measured(long k) {
		return k >= this.firstMeasured && k <= this.lastMeasured;
	}

	/**
	 * What the writer's and the subscriber's sessions share: the count of open sessions,
	 * {@code connect} on open, pongs, and a close reported as lost unless the run is
	 * stopping. Called on the connection's loop thread, as every {@link WsListener}.
	 */
	private abstract class Session implements WsListener {

		private final String who;

		Session(String who) {
			this.who = who;
		}

		@Override
		public final void onOpen(WsConn conn) {
			PropagationDriver.this.control.open.incrementAndGet();
			conn.sendText(Ddp.CONNECT);
		}

		@Override
		public final void onText(WsConn conn, byte[] buf, int off, int len) {
			int type = Ddp.msgType(buf, off, len);
			if (type == Ddp.PING) {
				conn.sendText(Ddp.pong(buf, off, len));
			}
			else {
				onMessage(conn, type, buf, off, len);
			}
		}

		/** Any message but a ping; {@code type} is {@link Ddp#msgType}'s. */
		abstract void onMessage(WsConn conn, int type, byte[] buf, int off, int len);

		@Override
		public final void onClosed(WsConn conn, String error) {
			Control control = PropagationDriver.this.control;
			control.open.decrementAndGet();
			if (control.phase != Control.STOP) {
				control.lost.incrementAndGet();
				control.report(this.who + " session closed: " + error);
			}
		}

	}

	/** The writer's session: connect, then results. */
	private final class Writer extends Session {

		Writer() {
			super("writer");
		}

		@Override
		void onMessage(WsConn conn, int type, byte[] buf, int off, int len) {
			PropagationDriver d = PropagationDriver.this;
			if (type == Ddp.RESULT) {
				long now = System.nanoTime();
				long k = Ddp.id(buf, off, len);
				d.results++;
				if (k < 1 || k >= d.next || !Ddp.contains(buf, off, len, RESULT_TRUE)) {
					d.errors++;
					d.control.report("bench.touch failed: " + new String(buf, off, len, StandardCharsets.UTF_8));
				}
				else if (d.measured(k)) {
					d.answered[(int) k] = true;
					d.answeredAt[(int) k] = now;
					d.measuredResults++;
					d.method.recordValue(Math.min((now - d.sentAt[(int) k]) / 1000, 60_000_000L));
				}
				if (d.rate == 0) {
					// closed loop: the next write replaces this one (flushed after the
					// read)
					d.send(conn, now);
				}
			}
			else if (type == Ddp.CONNECTED) {
				d.writersReady++;
			}
			else if (type == Ddp.ERROR) {
				d.control.report("writer got " + new String(buf, off, len, StandardCharsets.UTF_8));
			}
		}

	}

	/** The subscriber's session: connect, sub bench.all, then changed frames. */
	private final class Subscriber extends Session {

		Subscriber() {
			super("subscriber");
		}

		@Override
		void onMessage(WsConn conn, int type, byte[] buf, int off, int len) {
			PropagationDriver d = PropagationDriver.this;
			if (type == Ddp.OTHER && Ddp.contains(buf, off, len, CHANGED)) {
				long now = System.nanoTime();
				long k = Ddp.numberAfter(buf, off, len, N_KEY);
				if (k < 1 || k >= d.next) {
					d.unexpected++;
					d.control.report("unexpected changed: " + new String(buf, off, len, StandardCharsets.UTF_8));
				}
				else if (WsConn.indexOf(buf, WsConn.indexOf(buf, off, off + len, CHANGED) + 1, off + len,
						CHANGED) >= 0) {
					// one change per frame is what this scanner reads
					d.unexpected++;
					d.control
						.report("several changes in one frame: " + new String(buf, off, len, StandardCharsets.UTF_8));
				}
				else if (d.seenAt[(int) k] != 0) {
					d.duplicates++;
				}
				else {
					d.seenAt[(int) k] = now;
					d.lastSeen[(int) (k % d.docs)] = Math.max(d.lastSeen[(int) (k % d.docs)], k);
					d.control.changed.incrementAndGet();
					if (d.measured(k)) {
						d.propagation.recordValue(Math.min((now - d.sentAt[(int) k]) / 1000, 60_000_000L));
					}
				}
			}
			else if (type == Ddp.CONNECTED) {
				conn.sendText(Ddp.sub("b", "bench.all", "[]"));
			}
			else if (type == Ddp.READY) {
				d.subscriberReady = true;
			}
			else if (type == Ddp.NOSUB || type == Ddp.ERROR) {
				d.control.report("subscriber got " + new String(buf, off, len, StandardCharsets.UTF_8));
				conn.fail("subscription failed");
			}
		}

	}

}
