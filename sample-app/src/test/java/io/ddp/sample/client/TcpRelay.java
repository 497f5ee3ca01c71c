package io.ddp.sample.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay between a DDP client and a server that a test controls: it can cut
 * every connection, refuse new ones, or swallow traffic (a silent link). It decodes the
 * client's WebSocket frames (masked, after the upgrade) so tests can see exactly which
 * DDP messages the client sent.
 */
final class TcpRelay implements AutoCloseable {

	private final ServerSocket server;

	private final InetSocketAddress target;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<String> clientMessages = new CopyOnWriteArrayList<>();

	private final List<List<String>> byConnection = new CopyOnWriteArrayList<>();

	private final AtomicInteger accepted = new AtomicInteger();

	private final List<String> serverMessages = new CopyOnWriteArrayList<>();

	private final List<String> handshakes = new CopyOnWriteArrayList<>();

	private volatile java.util.function.Predicate<String> dropFromServer = (message) -> false;

	private volatile boolean refusing;

	private volatile boolean blackHole;

	private volatile boolean closed;

	TcpRelay(String host, int port) throws IOException {
		this.target = new InetSocketAddress(host, port);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::acceptLoop, "relay-accept-" + this.server.getLocalPort());
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * @return how many client connections were accepted (and not refused)
	 */
	int accepted() {
		return this.accepted.get();
	}

	/**
	 * @return the DDP messages the client sent, in order, over all connections
	 */
	List<String> clientMessages() {
		return new ArrayList<>(this.clientMessages);
	}

	/**
	 * @return the DDP messages the client sent, one list per relayed connection
	 */
	List<List<String>> clientMessagesByConnection() {
		List<List<String>> copy = new ArrayList<>();
		for (List<String> messages : this.byConnection) {
			copy.add(new ArrayList<>(messages));
		}
		return copy;
	}

	/**
	 * @return the client's HTTP upgrade requests
	 */
	List<String> handshakes() {
		return new ArrayList<>(this.handshakes);
	}

	/**
	 * @return the DDP messages the server sent that the client received, in order
	 */
	List<String> serverMessages() {
		return new ArrayList<>(this.serverMessages);
	}

	/**
	 * @param filter which server messages to swallow (the client never sees them)
	 */
	void dropFromServer(java.util.function.Predicate<String> filter) {
		this.dropFromServer = filter;
	}

	/**
	 * @param refusing whether new connections are closed at once
	 */
	void refuse(boolean refusing) {
		this.refusing = refusing;
	}

	/**
	 * @param blackHole whether traffic is dropped in both directions (the link looks
	 * alive)
	 */
	void blackHole(boolean blackHole) {
		this.blackHole = blackHole;
	}

	/** Cut every open connection (both sides). */
	void killAll() {
		for (Socket socket : this.sockets) {
			closeQuietly(socket);
		}
		this.sockets.clear();
	}

	private void acceptLoop() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				if (this.refusing) {
					closeQuietly(client);
					continue;
				}
				Socket upstream = new Socket();
				upstream.connect(this.target, 2000);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
				this.sockets.add(client);
				this.sockets.add(upstream);
				this.accepted.incrementAndGet();
				List<String> messages = new CopyOnWriteArrayList<>();
				this.byConnection.add(messages);
				pump(client, upstream, new FrameRecorder(messages));
				pumpFromServer(upstream, client);
			}
			catch (IOException ex) {
				// closed, or the server is down: the client sees a dropped link
			}
		}
	}

	private void pump(Socket from, Socket to, FrameRecorder recorder) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					if (recorder != null) {
						recorder.feed(buffer, n);
					}
					if (this.blackHole) {
						continue;
					}
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// cut
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "relay-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void pumpFromServer(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			ByteArrayOutputStream pending = new ByteArrayOutputStream();
			boolean upgraded = false;
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int n;
				while ((n = in.read(buffer)) >= 0) {
					if (this.blackHole) {
						continue;
					}
					pending.write(buffer, 0, n);
					byte[] buf = pending.toByteArray();
					int p = 0;
					if (!upgraded) {
						int end = indexOfHeaderEnd(buf);
						if (end < 0) {
							continue;
						}
						upgraded = true;
						p = end + 4;
						out.write(buf, 0, p);
					}
					long[] size;
					while ((size = frameSize(buf, p)) != null) {
						int header = (int) size[0];
						long len = size[1];
						if (buf.length - p < header + len) {
							break;
						}
						boolean keep = true;
						if ((buf[p] & 0x0F) == 0x1) {
							String text = new String(buf, p + header, (int) len, StandardCharsets.UTF_8);
							keep = !this.dropFromServer.test(text);
							if (keep) {
								this.serverMessages.add(text);
							}
						}
						if (keep) {
							out.write(buf, p, header + (int) len);
						}
						p += header + (int) len;
					}
					out.flush();
					pending.reset();
					pending.write(buf, p, buf.length - p);
				}
			}
			catch (IOException ex) {
				// cut
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "relay-pump-server");
		thread.setDaemon(true);
		thread.start();
	}

	private static int indexOfHeaderEnd(byte[] buf) {
		for (int i = 0; i + 3 < buf.length; i++) {
			if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
				return i;
			}
		}
		return -1;
	}

	@Override
	public void close() {
		this.closed = true;
		closeQuietly(this.server);
		killAll();
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// ignore
		}
	}

	/** Decodes client-to-server WebSocket text frames after the HTTP upgrade request. */
	private final class FrameRecorder {

		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		private final List<String> messages;

		private boolean upgraded;

		FrameRecorder(List<String> messages) {
			this.messages = messages;
		}

		void feed(byte[] data, int length) {
			this.pending.write(data, 0, length);
			byte[] buf = this.pending.toByteArray();
			int p = 0;
			if (!this.upgraded) {
				int end = indexOfHeaderEnd(buf);
				if (end < 0) {
					return;
				}
				this.upgraded = true;
				TcpRelay.this.handshakes.add(new String(buf, 0, end, StandardCharsets.ISO_8859_1));
				p = end + 4;
			}
			long[] size;
			while ((size = frameSize(buf, p)) != null) {
				int b0 = buf[p] & 0xFF;
				int b1 = buf[p + 1] & 0xFF;
				int header = (int) size[0];
				long len = size[1];
				boolean masked = (b1 & 0x80) != 0;
				int maskAt = p + header;
				if (masked) {
					header += 4;
				}
				if (buf.length - p < header + len) {
					break;
				}
				byte[] payload = new byte[(int) len];
				for (int i = 0; i < len; i++) {
					byte b = buf[p + header + i];
					payload[i] = masked ? (byte) (b ^ buf[maskAt + (i & 3)]) : b;
				}
				if ((b0 & 0x0F) == 0x1) {
					String text = new String(payload, StandardCharsets.UTF_8);
					TcpRelay.this.clientMessages.add(text);
					this.messages.add(text);
				}
				p += header + (int) len;
			}
			this.pending.reset();
			this.pending.write(buf, p, buf.length - p);
		}

		private int indexOfHeaderEnd(byte[] buf) {
			for (int i = 0; i + 3 < buf.length; i++) {
				if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
					return i;
				}
			}
			return -1;
		}

	}

	/**
	 * Return the header size and payload length of the WebSocket frame that starts at
	 * {@code p}, or {@code null} while its header is incomplete.
	 */
	private static long[] frameSize(byte[] buf, int p) {
		if (buf.length - p < 2) {
			return null;
		}
		long len = buf[p + 1] & 0x7F;
		int header = 2;
		if (len == 126) {
			if (buf.length - p < 4) {
				return null;
			}
			len = ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
			header = 4;
		}
		else if (len == 127) {
			if (buf.length - p < 10) {
				return null;
			}
			len = 0;
			for (int i = 2; i < 10; i++) {
				len = (len << 8) | (buf[p + i] & 0xFF);
			}
			header = 10;
		}
		return new long[] { header, len };
	}

}
