package io.ddp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A pool of long-lived sessions opened up to {@code target}: the bookkeeping the idle and
 * fan-out listeners share. Opening, counting open and ready sessions, replacing sessions
 * that fail during setup and reporting ready ones lost before STOP. Subclasses say what a
 * session sends when its socket opens and when it counts as ready. Loop thread only.
 */
abstract class HeldSessionsListener implements WsListener {

	final Control control;

	final WsLoop loop;

	private final InetSocketAddress address;

	private final String path;

	private final long target;

	private final String kind;

	private long started;

	final List<WsConn> connections = new ArrayList<>();

	HeldSessionsListener(Control control, WsLoop loop, InetSocketAddress address, String path, long target,
			String kind) {
		this.control = control;
		this.loop = loop;
		this.address = address;
		this.path = path;
		this.target = target;
		this.kind = kind;
	}

	static final class State {

		boolean opened;

		boolean connected;

		boolean ready;

	}

	void startOne() {
		if (this.started >= this.target || this.control.setupErrors.get() > 1000
				|| this.control.phase == Control.STOP) {
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

	/**
	 * The session's first frame once its socket is open.
	 * @param conn the connection
	 */
	abstract void greet(WsConn conn);

	@Override
	public final void onOpen(WsConn conn) {
		State state = (State) conn.attachment;
		state.opened = true;
		this.control.open.incrementAndGet();
		greet(conn);
	}

	/**
	 * Count the session ready and open the next one.
	 * @param state the session's state
	 */
	final void ready(State state) {
		state.ready = true;
		this.control.ready.incrementAndGet();
		startOne();
	}

	@Override
	public final void onClosed(WsConn conn, String error) {
		State state = (State) conn.attachment;
		if (state.opened) {
			this.control.open.decrementAndGet();
		}
		if (state.ready) {
			if (this.control.phase != Control.STOP) {
				this.control.lost.incrementAndGet();
				this.control.report(this.kind + " session closed: " + error);
			}
		}
		else {
			this.control.setupErrors.incrementAndGet();
			this.control.report(this.kind + " session failed: " + error);
			this.started--;
			startOne();
		}
	}

}
