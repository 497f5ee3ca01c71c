package io.ddp.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical limit of a fan-out on this machine: one thread writes the same pre-built
 * WebSocket text frame (a DDP {@code changed} of the fan-out's size) to N connected
 * loopback sockets with non-blocking {@code java.nio} writes, with no container, no
 * Spring and no DDP; a second thread reads all N client ends. Measures, as the fan-out
 * rows do, the delivery latencies per write and the sender's CPU per frame (on loopback
 * the sender's write also runs the receiver's TCP path, as in the server).
 */
final class BareNioFanout {

	private static final byte[] PAYLOAD = "{\"msg\":\"changed\",\"collection\":\"board\",\"id\":\"d0\",\"fields\":{\"n\":1}}"
		.getBytes(StandardCharsets.US_ASCII);

	private final int subscribers;

	private final int writes;

	private final int spacingMillis;

	private final byte[] frame;

	// Arrival times (nanoTime) per write and receiver.
	private final long[][] arrivals;

	private BareNioFanout(int subscribers, int writes, int spacingMillis) {
		this.subscribers = subscribers;
		this.writes = writes;
		this.spacingMillis = spacingMillis;
		this.frame = new byte[2 + PAYLOAD.length];
		this.frame[0] = (byte) 0x81;
		this.frame[1] = (byte) PAYLOAD.length;
		System.arraycopy(PAYLOAD, 0, this.frame, 2, PAYLOAD.length);
		this.arrivals = new long[writes][subscribers];
	}

	/**
	 * Measure the bare loop.
	 * @param subscribers the connected sockets
	 * @param writes the frames written to each, one write at a time
	 * @param spacingMillis the pause between writes
	 * @return the row
	 * @throws IOException when the loopback sockets cannot be set up
	 * @throws InterruptedException when interrupted
	 */
	static FanoutRow run(int subscribers, int writes, int spacingMillis) throws IOException, InterruptedException {
		// Both ends of every socket live in this process: at most half its free
		// descriptors (20,000 allowed here leaves a little under 10,000).
		int sockets = subscribers;
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
			long free = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 200;
			sockets = (int) Math.min(subscribers, Math.max(1, free / 2));
		}
		return new BareNioFanout(sockets, writes, spacingMillis).measure();
	}

	private FanoutRow measure() throws IOException, InterruptedException {
		List<SocketChannel> servers = new ArrayList<>(this.subscribers);
		List<SocketChannel> clients = new ArrayList<>(this.subscribers);
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress("127.0.0.1", 0), 1000);
			for (int i = 0; i < this.subscribers; i++) {
				SocketChannel client = SocketChannel.open(listener.getLocalAddress());
				client.setOption(StandardSocketOptions.TCP_NODELAY, true);
				client.configureBlocking(false);
				clients.add(client);
				SocketChannel server = listener.accept();
				server.setOption(StandardSocketOptions.TCP_NODELAY, true);
				server.configureBlocking(false);
				servers.add(server);
			}
		}
		long[] sentAt = new long[this.writes];
		AtomicLong received = new AtomicLong();
		CountDownLatch done = new CountDownLatch(1);
		Thread reader = new Thread(() -> read(clients, received, done), "bare-fanout-reader");
		reader.setDaemon(true);
		reader.start();
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long cpu = 0;
		try (Selector writable = Selector.open()) {
			for (int w = 0; w < this.writes; w++) {
				Thread.sleep(this.spacingMillis);
				long cpu0 = threads.getCurrentThreadCpuTime();
				sentAt[w] = System.nanoTime();
				writeAll(servers, writable);
				cpu += threads.getCurrentThreadCpuTime() - cpu0;
			}
			done.await(60, TimeUnit.SECONDS);
		}
		finally {
			for (SocketChannel channel : servers) {
				channel.close();
			}
			for (SocketChannel channel : clients) {
				channel.close();
			}
		}
		return row(sentAt, cpu, received.get());
	}

	private void writeAll(List<SocketChannel> servers, Selector writable) throws IOException {
		List<ByteBuffer> partial = null;
		List<SocketChannel> pending = null;
		for (SocketChannel channel : servers) {
			ByteBuffer buffer = ByteBuffer.wrap(this.frame);
			channel.write(buffer);
			if (buffer.hasRemaining()) {
				if (partial == null) {
					partial = new ArrayList<>();
					pending = new ArrayList<>();
				}
				partial.add(buffer);
				pending.add(channel);
			}
		}
		if (partial == null) {
			return;
		}
		// A full socket: finish it when it drains, as a server's poller would.
		for (int i = 0; i < pending.size(); i++) {
			pending.get(i).register(writable, SelectionKey.OP_WRITE, partial.get(i));
		}
		while (!writable.keys().isEmpty()) {
			writable.select(1000);
			for (SelectionKey key : writable.selectedKeys()) {
				ByteBuffer buffer = (ByteBuffer) key.attachment();
				((SocketChannel) key.channel()).write(buffer);
				if (!buffer.hasRemaining()) {
					key.cancel();
				}
			}
			writable.selectedKeys().clear();
			// Deregisters the cancelled keys.
			writable.selectNow();
		}
	}

	private void read(List<SocketChannel> clients, AtomicLong received, CountDownLatch done) {
		long expected = (long) this.subscribers * this.writes;
		long[] bytes = new long[clients.size()];
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		try (Selector selector = Selector.open()) {
			for (int i = 0; i < clients.size(); i++) {
				clients.get(i).register(selector, SelectionKey.OP_READ, i);
			}
			while (received.get() < expected) {
				if (selector.select(5000) == 0 && received.get() < expected) {
					continue;
				}
				long now = System.nanoTime();
				for (SelectionKey key : selector.selectedKeys()) {
					int index = (Integer) key.attachment();
					buffer.clear();
					int n = ((SocketChannel) key.channel()).read(buffer);
					if (n <= 0) {
						continue;
					}
					long before = bytes[index] / this.frame.length;
					bytes[index] += n;
					long after = bytes[index] / this.frame.length;
					for (long f = before; f < after && f < this.writes; f++) {
						this.arrivals[(int) f][index] = now;
						received.incrementAndGet();
					}
				}
				selector.selectedKeys().clear();
			}
		}
		catch (IOException ex) {
			// The run ends with what arrived.
		}
		finally {
			done.countDown();
		}
	}

	private FanoutRow row(long[] sentAt, long cpuNanos, long received) {
		double[] p50 = new double[this.writes];
		double[] p99 = new double[this.writes];
		double[] last = new double[this.writes];
		for (int w = 0; w < this.writes; w++) {
			long[] latencies = new long[this.subscribers];
			for (int i = 0; i < this.subscribers; i++) {
				long at = this.arrivals[w][i];
				latencies[i] = (at != 0) ? at - sentAt[w] : Long.MAX_VALUE;
			}
			Arrays.sort(latencies);
			p50[w] = latencies[this.subscribers / 2] / 1000.0;
			p99[w] = latencies[(int) Math.min(this.subscribers - 1L, this.subscribers * 99L / 100)] / 1000.0;
			last[w] = latencies[this.subscribers - 1] / 1000.0;
		}
		double lastUs = median(last);
		double worst = Arrays.stream(last).max().orElse(0);
		long expected = (long) this.subscribers * this.writes;
		double cpuPerFrame = cpuNanos / 1000.0 / Math.max(1, received);
		String extra = String.format(Locale.ROOT,
				"bare java.nio loop, no container: one thread writes a pre-built %d-byte frame to %,d loopback sockets, "
						+ "%d writes %d ms apart; CPU is the writing thread's",
				this.frame.length, this.subscribers, this.writes, this.spacingMillis);
		return new FanoutRow("bare NIO fan-out loop (physical limit)", this.subscribers, this.subscribers, this.writes,
				median(p50), median(p99), lastUs, worst, this.subscribers / (lastUs / 1e6), cpuPerFrame, cpuPerFrame, 0,
				0, expected, received, expected - received, extra);
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	public static void main(String[] args) throws Exception {
		int subscribers = (args.length > 0) ? Integer.parseInt(args[0]) : 1000;
		int writes = (args.length > 1) ? Integer.parseInt(args[1]) : 20;
		FanoutRow row = run(subscribers, writes, 300);
		System.out.printf(Locale.ROOT,
				"subscribers=%d last=%.0fus p50=%.0fus cpu/frame=%.2fus frames/s=%.0f missing=%d%n", row.subscribers(),
				row.lastUs(), row.p50us(), row.cpuUsPerFrame(), row.framesPerSecond(), row.missing());
	}

}
