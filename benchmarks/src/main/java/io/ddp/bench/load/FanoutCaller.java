package io.ddp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The fan-out writer ({@code --mode fanout-caller}): one DDP session that subscribes to
 * nothing and calls {@code board.bump(doc, v)} with {@code v} = its wall clock in µs at
 * the moment it queues the frame (written to the socket right after). {@link #call}
 * blocks the command thread until the method's {@code result} (or 10 s).
 */
final class FanoutCaller implements WsListener {

	private final Control control;

	private final WsLoop loop;

	private final String doc;

	private WsConn conn;

	private volatile boolean ready;

	private long nextId = 1;

	private final LinkedBlockingQueue<Boolean> results = new LinkedBlockingQueue<>();

	FanoutCaller(Control control, WsLoop loop, InetSocketAddress address, String path, String doc) throws IOException {
		this.control = control;
		this.loop = loop;
		this.doc = doc;
		loop.execute(() -> {
			try {
				this.conn = new WsConn(loop, this, address, path);
			}
			catch (IOException ex) {
				this.control.setupErrors.incrementAndGet();
				this.control.report("caller connect: " + ex);
			}
		});
	}

	boolean isReady() {
		return this.ready;
	}

	/** One write; returns whether its result came back (true) within 10 s. */
	boolean call() throws InterruptedException {
		this.results.clear();
		this.loop.execute(() -> {
			long v = FanoutListener.nowMicros();
			String frame = "{\"msg\":\"method\",\"id\":\"" + (this.nextId++)
					+ "\",\"method\":\"board.bump\",\"params\":[\"" + this.doc + "\"," + v + "]}";
			this.conn.sendText(frame.getBytes(StandardCharsets.UTF_8));
			try {
				this.conn.flush();
			}
			catch (IOException ex) {
				this.conn.closeNow(ex.toString());
			}
		});
		Boolean ok = this.results.poll(10, TimeUnit.SECONDS);
		return ok != null && ok;
	}

	@Override
	public void onOpen(WsConn conn) {
		this.control.open.incrementAndGet();
		conn.sendText(Ddp.CONNECT);
	}

	@Override
	public void onText(WsConn conn, byte[] buf, int off, int len) {
		int type = Ddp.msgType(buf, off, len);
		if (type == Ddp.CONNECTED) {
			this.ready = true;
			this.control.ready.incrementAndGet();
		}
		else if (type == Ddp.PING) {
			conn.sendText(Ddp.pong(buf, off, len));
		}
		else if (type == Ddp.RESULT) {
			boolean ok = Ddp.contains(buf, off, len, Ddp.ascii("\"result\":true"));
			if (!ok) {
				this.control.report("bump failed: " + new String(buf, off, len));
			}
			this.results.offer(ok);
		}
	}

	@Override
	public void onClosed(WsConn conn, String error) {
		this.control.open.decrementAndGet();
		if (this.ready && this.control.phase != Control.STOP) {
			this.control.lost.incrementAndGet();
			this.control.report("caller session closed: " + error);
		}
	}

}
