package io.ddp.bench.load;

/**
 * Closed-loop echo load: every connection keeps {@code inflight} calls outstanding; each
 * answer is timed and immediately replaced by a new call. Method ids encode the slot
 * ({@code id % inflight}), so answers may arrive in any order. In DDP mode it waits for
 * {@code result} (ignoring {@code updated}) and checks that the result is the echoed
 * array; in raw mode the echoed frame must come back unchanged.
 */
final class EchoListener implements WsListener {

	private final Control control;

	private final boolean ddp;

	private final int inflight;

	private final long maxCalls;

	private final byte[] scratch = new byte[Ddp.methodMaxLength()];

	EchoListener(Control control, boolean ddp, int inflight, long maxCallsPerLoop) {
		this.control = control;
		this.ddp = ddp;
		this.inflight = inflight;
		this.maxCalls = maxCallsPerLoop;
	}

	static final class State {

		boolean ready;

		final long[] sentAt;

		long seq;

		State(int inflight) {
			this.sentAt = new long[inflight];
		}

	}

	@Override
	public void onOpen(WsConn conn) {
		this.control.open.incrementAndGet();
		State state = new State(this.inflight);
		conn.attachment = state;
		if (this.ddp) {
			conn.sendText(Ddp.CONNECT);
		}
		else {
			state.ready = true;
			this.control.ready.incrementAndGet();
		}
	}

	/** Puts {@code inflight} calls on the wire (loop thread). */
	void start(WsConn conn) {
		State state = (State) conn.attachment;
		if (state == null || !state.ready || !conn.isOpen()) {
			return;
		}
		for (int slot = 0; slot < this.inflight; slot++) {
			send(conn, state, slot);
		}
		try {
			conn.flush();
		}
		catch (java.io.IOException ex) {
			conn.fail(ex.toString());
		}
	}

	private void send(WsConn conn, State state, int slot) {
		LoopStats stats = conn.loop.stats;
		if (stats.sent >= this.maxCalls) {
			return;
		}
		long id = (++state.seq) * this.inflight + slot;
		int len = Ddp.method(this.scratch, id);
		state.sentAt[slot] = System.nanoTime();
		conn.sendText(this.scratch, 0, len);
		stats.sent++;
	}

	@Override
	public void onText(WsConn conn, byte[] buf, int off, int len) {
		State state = (State) conn.attachment;
		int type = Ddp.msgType(buf, off, len);
		if (type == Ddp.PING) {
			conn.sendText(Ddp.pong(buf, off, len));
			this.control.pings.incrementAndGet();
			return;
		}
		if (!state.ready) {
			if (type == Ddp.CONNECTED) {
				state.ready = true;
				this.control.ready.incrementAndGet();
			}
			else if (type != Ddp.NONE) {
				this.control.report("unexpected frame before connected: " + new String(buf, off, len));
				this.control.setupErrors.incrementAndGet();
			}
			return;
		}
		if (type == (this.ddp ? Ddp.RESULT : Ddp.METHOD)) {
			long now = System.nanoTime();
			long id = Ddp.id(buf, off, len);
			if (id < 0) {
				conn.loop.stats.errors++;
				this.control.report("answer without id: " + new String(buf, off, len));
				return;
			}
			int slot = (int) (id % this.inflight);
			LoopStats stats = conn.loop.stats;
			boolean ok = this.ddp ? Ddp.contains(buf, off, len, Ddp.RESULT_OK)
					: len == Ddp.METHOD_PREFIX.length + Ddp.METHOD_SUFFIX.length + digits(id);
			int phase = this.control.phase;
			if (!ok) {
				stats.errors++;
				this.control.report("unexpected answer: " + new String(buf, off, len));
			}
			else if (phase == Control.MEASURE) {
				stats.record(now - state.sentAt[slot]);
			}
			if (phase == Control.WARM || phase == Control.MEASURE) {
				send(conn, state, slot);
			}
		}
		else if (type != Ddp.UPDATED) {
			conn.loop.stats.errors++;
			this.control.report("unexpected frame: " + new String(buf, off, len));
		}
	}

	private static int digits(long v) {
		int d = 1;
		while (v >= 10) {
			v /= 10;
			d++;
		}
		return d;
	}

	@Override
	public void onClosed(WsConn conn, String error) {
		State state = (State) conn.attachment;
		if (state != null) {
			this.control.open.decrementAndGet();
		}
		if (state != null && state.ready) {
			if (this.control.phase != Control.STOP) {
				this.control.lost.incrementAndGet();
				this.control.report("connection lost: " + error);
			}
		}
		else {
			this.control.setupErrors.incrementAndGet();
			this.control.report("connection failed: " + error);
		}
	}

}
