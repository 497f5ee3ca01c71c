package io.ddp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Session establishment: each of this loop's {@code slots} repeatedly opens a WebSocket,
 * sends {@code connect}, waits for {@code connected}, sends one {@code sub}, waits for
 * {@code ready} or {@code nosub}, then closes (close handshake) and starts over. The time
 * from opening the TCP socket to {@code ready}/{@code nosub} is recorded; a session
 * counts when that answer arrives. In raw mode a session is: open, one echo round trip,
 * close.
 */
final class SessionListener implements WsListener {

	private final Control control;

	private final boolean ddp;

	private final InetSocketAddress address;

	private final String path;

	private final byte[] sub;

	private final long maxSessions;

	private final WsLoop loop;

	private long started;

	private final byte[] scratch = new byte[Ddp.methodMaxLength()];

	SessionListener(Control control, WsLoop loop, boolean ddp, InetSocketAddress address, String path, byte[] sub,
			long maxSessionsPerLoop) {
		this.control = control;
		this.loop = loop;
		this.ddp = ddp;
		this.address = address;
		this.path = path;
		this.sub = sub;
		this.maxSessions = maxSessionsPerLoop;
	}

	static final class State {

		final long start = System.nanoTime();

		boolean opened;

		boolean done;

	}

	/** Starts one more session in this loop (loop thread). */
	void startOne() {
		if (!this.control.running() || this.started >= this.maxSessions || this.control.setupErrors.get() > 1000) {
			return;
		}
		this.started++;
		State state = new State();
		try {
			WsConn conn = new WsConn(this.loop, this, this.address, this.path);
			conn.attachment = state;
		}
		catch (IOException ex) {
			this.control.setupErrors.incrementAndGet();
			this.control.report("connect: " + ex);
			this.loop.execute(this::startOne);
		}
	}

	@Override
	public void onOpen(WsConn conn) {
		if (conn.attachment == null) {
			conn.attachment = new State();
		}
		((State) conn.attachment).opened = true;
		this.control.open.incrementAndGet();
		if (this.ddp) {
			conn.sendText(Ddp.CONNECT);
		}
		else {
			int len = Ddp.method(this.scratch, 1);
			conn.sendText(this.scratch, 0, len);
		}
	}

	@Override
	public void onText(WsConn conn, byte[] buf, int off, int len) {
		State state = (State) conn.attachment;
		int type = Ddp.msgType(buf, off, len);
		switch (type) {
			case Ddp.CONNECTED -> conn.sendText(this.sub);
			case Ddp.READY, Ddp.NOSUB, Ddp.METHOD -> {
				if (!state.done) {
					state.done = true;
					LoopStats stats = this.loop.stats;
					if (this.control.phase == Control.MEASURE) {
						stats.record(System.nanoTime() - state.start);
						if (type == Ddp.READY) {
							stats.ready++;
						}
						else if (type == Ddp.NOSUB) {
							stats.nosub++;
						}
					}
					conn.close();
				}
			}
			case Ddp.PING -> conn.sendText(Ddp.pong(buf, off, len));
			case Ddp.ADDED, Ddp.NONE -> {
				// documents of the subscription; Meteor 1.9's {"server_id":"0"}
			}
			default -> {
				this.loop.stats.errors++;
				this.control.report("unexpected frame: " + new String(buf, off, len));
			}
		}
	}

	@Override
	public void onClosed(WsConn conn, String error) {
		State state = (State) conn.attachment;
		if (state == null || !state.done) {
			this.control.setupErrors.incrementAndGet();
			this.control.report("session failed: " + error);
		}
		if (state != null && state.opened) {
			this.control.open.decrementAndGet();
		}
		startOne();
	}

}
