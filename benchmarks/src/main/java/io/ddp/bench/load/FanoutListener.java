package io.ddp.bench.load;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * Fan-out receivers ({@code --mode fanout}): opens {@code target} sessions
 * ({@code concurrency} handshakes at a time), each WebSocket + {@code connect} +
 * {@code sub board.all}, counted ready at the subscription's {@code ready}; then stays
 * silent except for pongs. Every {@code changed} frame carries in field {@code v} the
 * caller's send time (wall clock, µs since the epoch; all processes are on the same
 * machine), so its delivery latency is the receive time (same clock) minus {@code v}; it
 * is recorded per write (per value of {@code v}). Loop thread only.
 */
final class FanoutListener extends HeldSessionsListener {

	private static final byte[] CHANGED = Ddp.ascii("\"msg\":\"changed\"");

	private static final byte[] V_KEY = Ddp.ascii("\"v\":");

	private final byte[] sub;

	/** Per write (send time in µs): delivery latencies in µs. */
	final Map<Long, Histogram> perWrite = new TreeMap<>();

	long changed;

	long badChanged;

	FanoutListener(Control control, WsLoop loop, InetSocketAddress address, String path, long target, byte[] sub) {
		super(control, loop, address, path, target, "fanout");
		this.sub = sub;
	}

	static long nowMicros() {
		Instant now = Instant.now();
		return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
	}

	@Override
	void greet(WsConn conn) {
		conn.sendText(Ddp.CONNECT);
	}

	@Override
	public void onText(WsConn conn, byte[] buf, int off, int len) {
		State state = (State) conn.attachment;
		int type = Ddp.msgType(buf, off, len);
		if (type == Ddp.OTHER && Ddp.contains(buf, off, len, CHANGED)) {
			long received = nowMicros();
			long v = Ddp.numberAfter(buf, off, len, V_KEY);
			if (v <= 0 || !state.ready) {
				this.badChanged++;
				this.control.report("unexpected changed: " + new String(buf, off, len));
				return;
			}
			this.changed++;
			this.control.changed.incrementAndGet();
			this.perWrite.computeIfAbsent(v, (k) -> new Histogram(60_000_000L, 3))
				.recordValue(Math.max(0, Math.min(received - v, 60_000_000L)));
		}
		else if (type == Ddp.PING) {
			conn.sendText(Ddp.pong(buf, off, len));
			this.control.pings.incrementAndGet();
		}
		else if (type == Ddp.CONNECTED && !state.connected) {
			state.connected = true;
			conn.sendText(this.sub);
		}
		else if (type == Ddp.READY && !state.ready) {
			ready(state);
		}
		else if (type == Ddp.NOSUB || type == Ddp.ERROR) {
			this.control.report("unexpected frame: " + new String(buf, off, len));
			conn.fail("subscription failed");
		}
		// added (the initial documents), server_id: nothing to do
	}

}
