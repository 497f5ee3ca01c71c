package io.ddp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle sessions: opens {@code target} sessions ({@code concurrency} handshakes at a time per loop),
 * each one WebSocket plus DDP {@code connect}/{@code connected} (raw mode: the WebSocket and one echo
 * round trip), then
 * keeps them open and silent except for answering the server's heartbeat {@code ping}s with
 * {@code pong} (and WebSocket pings with pongs, done by {@link WsConn}).
 */
final class IdleListener implements WsListener {

	private final Control control;

	private final WsLoop loop;

	private final boolean ddp;

	private final InetSocketAddress address;

	private final String path;

	private final long target;

	private long started;

	final List<WsConn> connections = new ArrayList<>();

	IdleListener(Control control, WsLoop loop, boolean ddp, InetSocketAddress address, String path, long target) {
		this.control = control;
		this.loop = loop;
		this.ddp = ddp;
		this.address = address;
		this.path = path;
		this.target = target;
	}

	static final class State {

		boolean opened;

		boolean ready;

	}

	void startOne() {
		if (this.started >= this.target || this.control.setupErrors.get() > 1000 || this.control.phase == Control.STOP) {
			return;
		}
		this.started++;
		try {
			WsConn conn = new WsConn(this.loop, this, this.address, this.path);
			conn.attachment = new State();
			this.connections.add(conn);
		}
		catch (IOException ex) {
			this.control.setupErrors.incrementAndGet();
			this.control.report("connect: " + ex);
			this.started--;
			this.loop.execute(this::startOne);
		}
	}

	private void established(WsConn conn, State state) {
		state.ready = true;
		this.control.ready.incrementAndGet();
		startOne();
	}

	@Override
	public void onOpen(WsConn conn) {
		State state = (State) conn.attachment;
		state.opened = true;
		this.control.open.incrementAndGet();
		if (this.ddp) {
			conn.sendText(Ddp.CONNECT);
		}
		else {
			// One echo round trip, so the server has sent on this socket as it has on a DDP one
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
			established(conn, state);
		}
		else if (type != Ddp.NONE) {
			this.control.report("unexpected frame: " + new String(buf, off, len));
		}
	}

	@Override
	public void onClosed(WsConn conn, String error) {
		State state = (State) conn.attachment;
		if (state.opened) {
			this.control.open.decrementAndGet();
		}
		if (state.ready) {
			if (this.control.phase != Control.STOP) {
				this.control.lost.incrementAndGet();
				this.control.report("idle session closed: " + error);
			}
		}
		else {
			this.control.setupErrors.incrementAndGet();
			this.control.report("idle session failed: " + error);
			this.started--;
			startOne();
		}
	}

}
