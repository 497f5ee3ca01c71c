package io.ddp.spring.server;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, upgrading by hand: it reads only when told to, so
 * a test can make a client that stops reading with a small receive buffer, as a phone in
 * a tunnel does, or that writes without ever reading.
 */
final class BareWebSocket implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private BareWebSocket(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new DataInputStream(socket.getInputStream());
		this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
	}

	/**
	 * Open a socket to {@code /websocket} and complete the upgrade.
	 * @param port the server's port
	 * @param receiveBuffer the socket's receive buffer size
	 */
	static BareWebSocket open(int port, int receiveBuffer) throws IOException {
		return open(port, "/websocket", receiveBuffer);
	}

	/**
	 * Open a socket to a WebSocket path and complete the upgrade.
	 * @param port the server's port
	 * @param path the path, such as a SockJS session's {@code /sockjs/1/abc/websocket}
	 * @param receiveBuffer the socket's receive buffer size
	 */
	static BareWebSocket open(int port, String path, int receiveBuffer) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(receiveBuffer);
		socket.setSoTimeout(10_000);
		socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
		BareWebSocket client = new BareWebSocket(socket);
		client.upgrade(port, path);
		return client;
	}

	private void upgrade(int port, String path) throws IOException {
		byte[] key = new byte[16];
		ThreadLocalRandom.current().nextBytes(key);
		String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.out.write(request.getBytes(StandardCharsets.US_ASCII));
		this.out.flush();
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			head.append((char) this.in.readUnsignedByte());
		}
		if (!head.toString().startsWith("HTTP/1.1 101")) {
			throw new IOException("Upgrade refused: " + head);
		}
	}

	/**
	 * Queue one masked text frame; {@link #flush()} sends what is queued.
	 */
	BareWebSocket text(String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		this.out.write(0x81);
		if (payload.length < 126) {
			this.out.write(0x80 | payload.length);
		}
		else if (payload.length < 65536) {
			this.out.write(0x80 | 126);
			this.out.write(payload.length >>> 8);
			this.out.write(payload.length);
		}
		else {
			this.out.write(0x80 | 127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.out.write((int) ((long) payload.length >>> shift));
			}
		}
		// A zero mask: valid, and the payload goes out as is.
		this.out.write(new byte[4]);
		this.out.write(payload);
		return this;
	}

	/**
	 * Whether bytes from the server wait to be read.
	 */
	boolean hasIncoming() throws IOException {
		return this.in.available() > 0;
	}

	BareWebSocket flush() throws IOException {
		this.out.flush();
		return this;
	}

	/**
	 * Read the next frame.
	 * @return the text of a text frame; for a close frame {@code "close:<code>"}
	 */
	String read() throws IOException {
		StringBuilder message = new StringBuilder();
		while (true) {
			int first = this.in.readUnsignedByte();
			int second = this.in.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			byte[] payload = new byte[(int) length];
			this.in.readFully(payload);
			int opcode = first & 0x0F;
			if (opcode == 0x8) {
				int code = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
				return "close:" + code;
			}
			if (opcode == 0x9 || opcode == 0xA) {
				continue;
			}
			message.append(new String(payload, StandardCharsets.UTF_8));
			if ((first & 0x80) != 0) {
				return message.toString();
			}
		}
	}

	/**
	 * Read frames until one contains the given text.
	 */
	String readUntil(String contained) throws IOException {
		String frame;
		do {
			frame = read();
		}
		while (!frame.contains(contained) && !frame.startsWith("close:"));
		return frame;
	}

	/**
	 * Read and discard frames until the close frame or the end of the stream.
	 * @return the close frame's code, or -1 if the stream ended without one
	 */
	int readUntilClosed() throws IOException {
		try {
			while (true) {
				String frame = read();
				if (frame.startsWith("close:")) {
					return Integer.parseInt(frame.substring(6));
				}
			}
		}
		catch (EOFException | java.net.SocketException ex) {
			return -1;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
