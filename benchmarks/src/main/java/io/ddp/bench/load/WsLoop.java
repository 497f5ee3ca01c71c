package io.ddp.bench.load;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread of the load generator: owns its connections, reads, parses and
 * writes them, and runs the scenario callbacks. Nothing here is shared with other loops
 * except through {@link #execute(Runnable)}.
 */
final class WsLoop implements Runnable {

	final int index;

	final Selector selector;

	final Thread thread;

	/**
	 * Scratch read buffer shared by this loop's connections (partial frames are copied
	 * out).
	 */
	byte[] readBuf = new byte[64 * 1024];

	/** xorshift state for masking keys and handshake nonces. */
	private long rnd;

	/** Per-loop counters and latency histogram, written only by this thread. */
	final LoopStats stats = new LoopStats();

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private volatile boolean running = true;

	WsLoop(int index) throws IOException {
		this.index = index;
		this.selector = Selector.open();
		this.rnd = System.nanoTime() ^ (0x9E3779B97F4A7C15L * (index + 1));
		this.thread = new Thread(this, "ws-loop-" + index);
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	void execute(Runnable task) {
		this.tasks.add(task);
		this.selector.wakeup();
	}

	void shutdown() {
		this.running = false;
		this.selector.wakeup();
	}

	int nextInt() {
		long x = this.rnd;
		x ^= x << 13;
		x ^= x >>> 7;
		x ^= x << 17;
		this.rnd = x;
		return (int) (x >>> 16);
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				this.selector.select(50);
				Runnable task;
				while ((task = this.tasks.poll()) != null) {
					try {
						task.run();
					}
					catch (RuntimeException ex) {
						ex.printStackTrace();
					}
				}
				Iterator<SelectionKey> it = this.selector.selectedKeys().iterator();
				while (it.hasNext()) {
					SelectionKey key = it.next();
					it.remove();
					WsConn conn = (WsConn) key.attachment();
					conn.handle(key);
				}
			}
		}
		catch (IOException ex) {
			ex.printStackTrace();
		}
		finally {
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// ignore
			}
		}
	}

}
