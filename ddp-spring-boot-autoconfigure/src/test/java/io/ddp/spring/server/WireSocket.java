package io.ddp.spring.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client written down to the frame, for fuzzing: it sends any bytes as a text
 * or binary frame (invalid UTF-8 included, which the JDK's client refuses to send), and
 * reads text and close frames on its own thread.
 */
final class WireSocket implements AutoCloseable {

	static final int TEXT = 1;

	static final int BINARY = 2;

	private final Socket socket;

	private final OutputStream out;

	private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();

	private volatile int closeCode = -1;

	private volatile String closeReason = "";

	private volatile boolean closed;

	// How the socket ended without a close frame, for assertion messages: a frame cut
	// short or a first byte that starts no frame shows the stream lost its framing.
	private volatile String ending = "";

	private volatile String lastFrame = "none";

	private volatile String lastText = "none";

	WireSocket(int port, String path) throws IOException {
		this.socket = new Socket();
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		this.socket.setTcpNoDelay(true);
		this.out = new java.io.BufferedOutputStream(this.socket.getOutputStream(), 65536);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		DataInputStream in = new DataInputStream(new BufferedInputStream(this.socket.getInputStream()));
		String status = readLine(in);
		if (!status.startsWith("HTTP/1.1 101")) {
			throw new IOException("Upgrade refused: " + status);
		}
		while (!readLine(in).isEmpty()) {
			// the response headers
		}
		Thread reader = new Thread(() -> read(in), "wire-socket-reader");
		reader.setDaemon(true);
		reader.start();
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\n') {
			if (c < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	void sendText(String text) throws IOException {
		send(TEXT, text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Send one frame, masked as a client must; it leaves on {@link #flush()}.
	 */
	synchronized void send(int opcode, byte[] payload) throws IOException {
		int length = payload.length;
		byte[] header = new byte[14];
		int n = 0;
		header[n++] = (byte) (0x80 | opcode);
		if (length < 126) {
			header[n++] = (byte) (0x80 | length);
		}
		else if (length < 65536) {
			header[n++] = (byte) (0x80 | 126);
			header[n++] = (byte) (length >>> 8);
			header[n++] = (byte) length;
		}
		else {
			header[n++] = (byte) (0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				header[n++] = (byte) (((long) length) >>> shift);
			}
		}
		// A zero mask: masking is mandatory, its value is not.
		n += 4;
		this.out.write(header, 0, n);
		this.out.write(payload);
	}

	synchronized void flush() throws IOException {
		this.out.flush();
	}

	/**
	 * Return the next text message, or {@code null} if none came in time or the socket
	 * closed.
	 */
	String poll(long millis) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		while (true) {
			String text = this.texts.poll(20, TimeUnit.MILLISECONDS);
			if (text != null) {
				return text;
			}
			if (this.closed && this.texts.isEmpty()) {
				return null;
			}
			if (System.nanoTime() > deadline) {
				return null;
			}
		}
	}

	boolean isClosed() {
		return this.closed;
	}

	int closeCode() {
		return this.closeCode;
	}

	String closeReason() {
		return this.closeReason;
	}

	/**
	 * Return how the socket ended when it did without a close frame, empty otherwise.
	 * @return the exception and the last frame's header
	 */
	String ending() {
		return this.ending;
	}

	private void read(DataInputStream in) {
		StringBuilder message = new StringBuilder();
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try {
			while (true) {
				int first = in.readUnsignedByte();
				int second = in.readUnsignedByte();
				long length = second & 0x7F;
				if (length == 126) {
					length = in.readUnsignedShort();
				}
				else if (length == 127) {
					length = in.readLong();
				}
				this.lastFrame = "first byte 0x" + Integer.toHexString(first) + ", length " + length + ", cut short";
				byte[] payload = new byte[(int) length];
				in.readFully(payload);
				this.lastFrame = "first byte 0x" + Integer.toHexString(first) + ", length " + length;
				int opcode = first & 0x0F;
				if (opcode == 8) {
					this.closeCode = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
					this.closeReason = (payload.length > 2)
							? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
					break;
				}
				if (opcode == 1 || opcode == 0) {
					bytes.write(payload);
					if ((first & 0x80) != 0) {
						message.append(bytes.toString(StandardCharsets.UTF_8));
						this.texts.add(message.toString());
						this.lastText = message.toString();
						message.setLength(0);
						bytes.reset();
					}
				}
				if (opcode == 9) {
					send(10, payload);
					flush();
				}
			}
		}
		catch (IOException ex) {
			// The socket ended without a close frame: closeCode stays -1 (1006).
			this.ending = ex + "; last frame: " + this.lastFrame + "; last text: " + this.lastText;
		}
		finally {
			this.closed = true;
			close();
		}
	}

	/**
	 * End the stream (a FIN) without a close frame, as a client process that was killed
	 * appears to the server, and keep the socket open for reading.
	 */
	void endWithoutCloseFrame() {
		try {
			this.socket.shutdownOutput();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Drop the connection with a TCP reset (no close frame, no FIN), as a client whose
	 * network vanished mid-session can appear to the server.
	 */
	void reset() {
		try {
			this.socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// closed already: nothing left to reset
		}
		close();
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
