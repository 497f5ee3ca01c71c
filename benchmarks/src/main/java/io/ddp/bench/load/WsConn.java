package io.ddp.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A minimal non-blocking RFC 6455 client connection: HTTP upgrade (the
 * {@code Sec-WebSocket-Accept} answer is verified), masked client frames, unmasked server
 * frames, fragmented messages, ping answered with pong, close handshake. No extensions
 * are offered (so no permessage-deflate with any server) and no subprotocol.
 *
 * <p>
 * Frames queued with {@link #sendText} while a read is being processed are written
 * together when that read has been handled (one {@code write} per connection per
 * event-loop turn), the way an event-loop client (Node {@code ws}, Netty) behaves.
 */
final class WsConn {

	private static final int CONNECTING = 0;

	private static final int HANDSHAKE = 1;

	private static final int OPEN = 2;

	private static final int CLOSING = 3;

	private static final int CLOSED = 4;

	private static final byte[] CRLFCRLF = { '\r', '\n', '\r', '\n' };

	final WsLoop loop;

	final WsListener listener;

	/** Scenario state of this connection. */
	Object attachment;

	private final SocketChannel channel;

	private SelectionKey key;

	private int state = CONNECTING;

	private String expectedAccept;

	private final String requestHead;

	private byte[] leftover;

	private int leftoverLength;

	private byte[] fragment;

	private int fragmentLength;

	private boolean fragmentText;

	private ByteBuffer out = ByteBuffer.allocate(512);

	private boolean closeSent;

	private boolean notifiedClosed;

	WsConn(WsLoop loop, WsListener listener, InetSocketAddress address, String path) throws IOException {
		this.loop = loop;
		this.listener = listener;
		byte[] nonce = new byte[16];
		for (int i = 0; i < 16; i += 4) {
			int r = loop.nextInt();
			nonce[i] = (byte) r;
			nonce[i + 1] = (byte) (r >> 8);
			nonce[i + 2] = (byte) (r >> 16);
			nonce[i + 3] = (byte) (r >> 24);
		}
		String key = Base64.getEncoder().encodeToString(nonce);
		this.expectedAccept = accept(key);
		this.requestHead = "GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n";
		this.channel = SocketChannel.open();
		this.channel.configureBlocking(false);
		this.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
		boolean connected = this.channel.connect(address);
		this.key = this.channel.register(loop.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
				this);
		if (connected) {
			onConnected();
		}
	}

	boolean isOpen() {
		return this.state == OPEN;
	}

	static String accept(String key) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			byte[] digest = sha1
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	void handle(SelectionKey key) {
		try {
			if (!key.isValid()) {
				return;
			}
			if (key.isConnectable()) {
				if (this.channel.finishConnect()) {
					key.interestOps(SelectionKey.OP_READ);
					onConnected();
				}
			}
			if (key.isValid() && key.isReadable()) {
				onReadable();
			}
			if (key.isValid() && key.isWritable()) {
				flush();
			}
			else if (this.out.position() > 0) {
				flush();
			}
		}
		catch (IOException | RuntimeException ex) {
			fail(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	private void onConnected() throws IOException {
		this.state = HANDSHAKE;
		byte[] head = this.requestHead.getBytes(StandardCharsets.US_ASCII);
		ensureOut(head.length);
		this.out.put(head);
		flush();
	}

	private void onReadable() throws IOException {
		byte[] buf = this.loop.readBuf;
		int start = 0;
		if (this.leftoverLength > 0) {
			if (this.leftoverLength > buf.length / 2) {
				buf = new byte[Math.max(buf.length * 2, this.leftoverLength * 2)];
				this.loop.readBuf = buf;
			}
			System.arraycopy(this.leftover, 0, buf, 0, this.leftoverLength);
			start = this.leftoverLength;
			this.leftoverLength = 0;
		}
		ByteBuffer bb = ByteBuffer.wrap(buf, start, buf.length - start);
		int n = this.channel.read(bb);
		if (n < 0) {
			if (start > 0) {
				process(buf, start);
			}
			closeNow(this.closeSent ? null : "EOF");
			return;
		}
		process(buf, start + n);
	}

	private void process(byte[] buf, int end) throws IOException {
		int p = 0;
		if (this.state == HANDSHAKE) {
			int headEnd = indexOf(buf, 0, end, CRLFCRLF);
			if (headEnd < 0) {
				keep(buf, 0, end);
				return;
			}
			String head = new String(buf, 0, headEnd, StandardCharsets.ISO_8859_1);
			if (!head.startsWith("HTTP/1.1 101")) {
				fail("handshake refused: " + head.lines().findFirst().orElse(""));
				return;
			}
			if (!head.contains(this.expectedAccept)) {
				fail("bad Sec-WebSocket-Accept");
				return;
			}
			this.expectedAccept = null;
			this.state = OPEN;
			p = headEnd + 4;
			this.listener.onOpen(this);
		}
		while (end - p >= 2 && this.state != CLOSED) {
			int b0 = buf[p] & 0xFF;
			int b1 = buf[p + 1] & 0xFF;
			int header = 2;
			long len = b1 & 0x7F;
			if (len == 126) {
				if (end - p < 4) {
					break;
				}
				len = ((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF);
				header = 4;
			}
			else if (len == 127) {
				if (end - p < 10) {
					break;
				}
				len = 0;
				for (int i = 2; i < 10; i++) {
					len = (len << 8) | (buf[p + i] & 0xFF);
				}
				header = 10;
			}
			boolean masked = (b1 & 0x80) != 0;
			if (masked) {
				header += 4;
			}
			if (len > Integer.MAX_VALUE - 64) {
				fail("frame too large");
				return;
			}
			if (end - p < header + len) {
				break;
			}
			int payload = p + header;
			int length = (int) len;
			if (masked) {
				for (int i = 0; i < length; i++) {
					buf[payload + i] ^= buf[payload - 4 + (i & 3)];
				}
			}
			frame(b0, buf, payload, length);
			p = payload + length;
		}
		if (p < end && this.state != CLOSED) {
			keep(buf, p, end);
		}
	}

	private void keep(byte[] buf, int from, int to) {
		int n = to - from;
		if (this.leftover == null || this.leftover.length < n) {
			this.leftover = new byte[Math.max(n, 1024)];
		}
		System.arraycopy(buf, from, this.leftover, 0, n);
		this.leftoverLength = n;
	}

	private void frame(int b0, byte[] buf, int off, int len) throws IOException {
		boolean fin = (b0 & 0x80) != 0;
		int opcode = b0 & 0x0F;
		switch (opcode) {
			case 0x1, 0x2 -> {
				if (fin) {
					if (opcode == 0x1) {
						this.listener.onText(this, buf, off, len);
					}
				}
				else {
					this.fragmentText = opcode == 0x1;
					this.fragmentLength = 0;
					appendFragment(buf, off, len);
				}
			}
			case 0x0 -> {
				appendFragment(buf, off, len);
				if (fin) {
					if (this.fragmentText) {
						this.listener.onText(this, this.fragment, 0, this.fragmentLength);
					}
					this.fragmentLength = 0;
				}
			}
			case 0x8 -> {
				if (!this.closeSent) {
					writeFrame(0x88, buf, off, Math.min(len, 2));
					this.closeSent = true;
				}
				flush();
				closeNow(null);
			}
			case 0x9 -> writeFrame(0x8A, buf, off, len);
			default -> {
				// pong and reserved opcodes: ignored
			}
		}
	}

	private void appendFragment(byte[] buf, int off, int len) {
		if (this.fragment == null || this.fragment.length < this.fragmentLength + len) {
			byte[] grown = new byte[Math.max(4096, (this.fragmentLength + len) * 2)];
			if (this.fragment != null) {
				System.arraycopy(this.fragment, 0, grown, 0, this.fragmentLength);
			}
			this.fragment = grown;
		}
		System.arraycopy(buf, off, this.fragment, this.fragmentLength, len);
		this.fragmentLength += len;
	}

	/** Queues one masked text frame; written when the current event has been handled. */
	void sendText(byte[] payload, int off, int len) {
		if (this.state != OPEN || this.closeSent) {
			return;
		}
		writeFrame(0x81, payload, off, len);
	}

	void sendText(byte[] payload) {
		sendText(payload, 0, payload.length);
	}

	private void writeFrame(int b0, byte[] payload, int off, int len) {
		ensureOut(len + 14);
		ByteBuffer o = this.out;
		o.put((byte) b0);
		if (len < 126) {
			o.put((byte) (0x80 | len));
		}
		else if (len < 65536) {
			o.put((byte) (0x80 | 126));
			o.putShort((short) len);
		}
		else {
			o.put((byte) (0x80 | 127));
			o.putLong(len);
		}
		int mask = this.loop.nextInt();
		byte m0 = (byte) (mask >>> 24);
		byte m1 = (byte) (mask >>> 16);
		byte m2 = (byte) (mask >>> 8);
		byte m3 = (byte) mask;
		o.put(m0).put(m1).put(m2).put(m3);
		byte[] arr = o.array();
		int base = o.arrayOffset() + o.position();
		for (int i = 0; i < len; i++) {
			byte m = switch (i & 3) {
				case 0 -> m0;
				case 1 -> m1;
				case 2 -> m2;
				default -> m3;
			};
			arr[base + i] = (byte) (payload[off + i] ^ m);
		}
		o.position(o.position() + len);
	}

	private void ensureOut(int extra) {
		if (this.out.remaining() < extra) {
			ByteBuffer grown = ByteBuffer.allocate(Math.max(this.out.capacity() * 2, this.out.position() + extra));
			this.out.flip();
			grown.put(this.out);
			this.out = grown;
		}
	}

	/** Writes what is queued; waits for OP_WRITE if the socket buffer is full. */
	void flush() throws IOException {
		if (this.state == CLOSED || this.out.position() == 0) {
			return;
		}
		this.out.flip();
		this.channel.write(this.out);
		this.out.compact();
		if (this.key.isValid()) {
			int ops = this.key.interestOps();
			int want = this.out.position() > 0 ? (ops | SelectionKey.OP_WRITE) : (ops & ~SelectionKey.OP_WRITE);
			if (want != ops) {
				this.key.interestOps(want);
			}
		}
	}

	/**
	 * Starts the close handshake (status 1000); the server's close frame or EOF completes
	 * it.
	 */
	void close() {
		if (this.state == CLOSED) {
			return;
		}
		if (this.state != OPEN) {
			closeNow(null);
			return;
		}
		if (!this.closeSent) {
			byte[] status = { 0x03, (byte) 0xE8 };
			writeFrame(0x88, status, 0, 2);
			this.closeSent = true;
			this.state = CLOSING;
			try {
				flush();
			}
			catch (IOException ex) {
				closeNow(null);
			}
		}
	}

	void fail(String reason) {
		closeNow(reason == null ? "error" : reason);
	}

	/** Closes the socket now; {@code error} is null for an orderly close. */
	void closeNow(String error) {
		if (this.state == CLOSED) {
			return;
		}
		this.state = CLOSED;
		this.key.cancel();
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			// ignore
		}
		this.leftover = null;
		this.fragment = null;
		if (!this.notifiedClosed) {
			this.notifiedClosed = true;
			this.listener.onClosed(this, error);
		}
	}

	static int indexOf(byte[] a, int from, int to, byte[] pattern) {
		outer: for (int i = from, last = to - pattern.length; i <= last; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (a[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
