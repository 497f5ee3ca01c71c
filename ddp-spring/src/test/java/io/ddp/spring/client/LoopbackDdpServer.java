package io.ddp.spring.client;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A tiny DDP server on a real loopback socket for the client's tests: the WebSocket
 * handshake and unfragmented frames (RFC 6455), with a script that answers each client
 * frame with zero or more frames. Only what the JDK's WebSocket client sends is
 * understood.
 */
final class LoopbackDdpServer implements AutoCloseable {

	private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private final ServerSocket serverSocket;

	private final Function<String, List<String>> script;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	/** Every frame the clients sent, in order. */
	final List<String> received = new CopyOnWriteArrayList<>();

	/**
	 * Start a server on an ephemeral loopback port.
	 * @param script the answers to one client frame
	 * @throws IOException if the socket cannot be bound
	 */
	LoopbackDdpServer(Function<String, List<String>> script) throws IOException {
		this.script = script;
		this.serverSocket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "loopback-ddp-server");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	URI url() {
		return URI.create("ws://127.0.0.1:" + this.serverSocket.getLocalPort() + "/websocket");
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				this.sockets.add(socket);
				Thread reader = new Thread(() -> serve(socket), "loopback-ddp-session");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			// each answer frame is written on its own: without this, Nagle's algorithm
			// and
			// the client's delayed acknowledgement hold the second back for 40 ms
			socket.setTcpNoDelay(true);
			DataInputStream in = new DataInputStream(socket.getInputStream());
			OutputStream out = socket.getOutputStream();
			handshake(in, out);
			while (true) {
				int first = in.readUnsignedByte();
				int opcode = first & 0x0F;
				byte[] payload = readPayload(in);
				if (opcode == 0x8) {
					writeFrame(out, 0x8, payload);
					return;
				}
				if (opcode == 0x9) {
					writeFrame(out, 0xA, payload);
				}
				else if (opcode == 0x1) {
					String text = new String(payload, StandardCharsets.UTF_8);
					this.received.add(text);
					for (String answer : this.script.apply(text)) {
						writeFrame(out, 0x1, answer.getBytes(StandardCharsets.UTF_8));
					}
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private static void handshake(InputStream in, OutputStream out) throws IOException {
		String key = null;
		String line;
		while (!(line = readLine(in)).isEmpty()) {
			if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
				key = line.substring(line.indexOf(':') + 1).trim();
			}
		}
		if (key == null) {
			throw new IOException("Not a WebSocket upgrade");
		}
		String accept;
		try {
			accept = Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-1")
					.digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII)));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + accept + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("Connection closed during the handshake");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	private static byte[] readPayload(DataInputStream in) throws IOException {
		int second = in.readUnsignedByte();
		boolean masked = (second & 0x80) != 0;
		long length = second & 0x7F;
		if (length == 126) {
			length = in.readUnsignedShort();
		}
		else if (length == 127) {
			length = in.readLong();
		}
		byte[] mask = new byte[4];
		if (masked) {
			in.readFully(mask);
		}
		byte[] payload = new byte[(int) length];
		in.readFully(payload);
		if (masked) {
			for (int i = 0; i < payload.length; i++) {
				payload[i] ^= mask[i % 4];
			}
		}
		return payload;
	}

	private static synchronized void writeFrame(OutputStream out, int opcode, byte[] payload) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 10);
		frame.write(0x80 | opcode);
		if (payload.length < 126) {
			frame.write(payload.length);
		}
		else if (payload.length <= 0xFFFF) {
			frame.write(126);
			frame.write(payload.length >>> 8);
			frame.write(payload.length & 0xFF);
		}
		else {
			frame.write(127);
			for (int shift = 56; shift >= 0; shift -= 8) {
				frame.write((int) (((long) payload.length) >>> shift) & 0xFF);
			}
		}
		frame.write(payload);
		out.write(frame.toByteArray());
		out.flush();
	}

	/** Drop every open connection without a close frame. */
	void dropConnections() {
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		}
		this.sockets.clear();
	}

	@Override
	public void close() throws IOException {
		this.serverSocket.close();
		dropConnections();
	}

}
