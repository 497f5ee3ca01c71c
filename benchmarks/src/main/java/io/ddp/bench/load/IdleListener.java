package io.ddp.bench.load;

import java.net.InetSocketAddress;

/**
 * Idle sessions: opens {@code target} sessions ({@code concurrency} handshakes at a time
 * per loop), each one WebSocket plus DDP {@code connect}/{@code connected} (raw mode: the
 * WebSocket and one echo round trip), then keeps them open and silent except for
 * answering the server's heartbeat {@code ping}s with {@code pong} (and WebSocket pings
 * with pongs, done by {@link WsConn}).
 */
final class IdleListener extends HeldSessionsListener {

	private final boolean ddp;

	IdleListener(Control control, WsLoop loop, boolean ddp, InetSocketAddress address, String path, long target) {
		super(control, loop, address, path, target, "idle");
		this.ddp = ddp;
	}

	@Override
	void greet(WsConn conn) {
		if (this.ddp) {
			conn.sendText(Ddp.CONNECT);
		}
		else {
			// One echo round trip, so the server has sent on this socket as it has on a
			// DDP one
			// (Tomcat allocates its send buffers on the first send).
			byte[] frame = new byte[Ddp.methodMaxLength()];
			conn.sendText(frame, 0, Ddp.method(frame, 1));
		}
	}

	@Override
	public void onText(WsConn conn, byte[] buf, int off, int len) {
		State state = (State) conn.attachment;
		int type = Ddp.msgType(buf, off, len);
		if (type == Ddp.PING) {
			conn.sendText(Ddp.pong(buf, off, len));
			this.control.pings.incrementAndGet();
		}
		else if ((type == Ddp.CONNECTED || (!this.ddp && type == Ddp.METHOD)) && !state.ready) {
			ready(state);
		}
		else if (type != Ddp.NONE) {
			this.control.report("unexpected frame: " + new String(buf, off, len));
		}
	}

}
