package io.ddp.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * Just enough DDP for the load generator: builds the few frames it sends and finds
 * {@code msg} and {@code id} in the frames it receives without a full JSON parse (both
 * Meteor and Jackson write compact JSON; the scanner also tolerates spaces after the
 * colon). The echoed payload is checked byte for byte.
 */
final class Ddp {

	static final int OTHER = 0;

	static final int CONNECTED = 1;

	static final int RESULT = 2;

	static final int UPDATED = 3;

	static final int PING = 4;

	static final int READY = 5;

	static final int NOSUB = 6;

	static final int METHOD = 7;

	static final int FAILED = 8;

	static final int ERROR = 9;

	static final int ADDED = 10;

	static final int NONE = 11;

	static final byte[] CONNECT = ascii(
			"{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}");

	static final byte[] PONG = ascii("{\"msg\":\"pong\"}");

	/** The arguments every echo call sends; the result must be exactly this array. */
	static final String ECHO_PARAMS = "[42,\"hello\",{\"a\":true}]";

	static final byte[] METHOD_PREFIX = ascii("{\"msg\":\"method\",\"id\":\"");

	static final byte[] METHOD_SUFFIX = ascii("\",\"method\":\"echo\",\"params\":" + ECHO_PARAMS + "}");

	static final byte[] RESULT_OK = ascii("\"result\":" + ECHO_PARAMS);

	private static final byte[] MSG_KEY = ascii("\"msg\":");

	private static final byte[] ID_KEY = ascii("\"id\":");

	private Ddp() {
	}

	static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	static byte[] sub(String id, String name, String paramsJson) {
		return ascii("{\"msg\":\"sub\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"params\":" + paramsJson + "}");
	}

	/** Writes a method frame with the given id into {@code dst}; returns its length. */
	static int method(byte[] dst, long id) {
		int p = 0;
		System.arraycopy(METHOD_PREFIX, 0, dst, p, METHOD_PREFIX.length);
		p += METHOD_PREFIX.length;
		p = writeDecimal(dst, p, id);
		System.arraycopy(METHOD_SUFFIX, 0, dst, p, METHOD_SUFFIX.length);
		return p + METHOD_SUFFIX.length;
	}

	static int methodMaxLength() {
		return METHOD_PREFIX.length + 20 + METHOD_SUFFIX.length;
	}

	private static int writeDecimal(byte[] dst, int p, long v) {
		if (v == 0) {
			dst[p] = '0';
			return p + 1;
		}
		int digits = 0;
		for (long t = v; t > 0; t /= 10) {
			digits++;
		}
		for (int i = p + digits - 1; i >= p; i--) {
			dst[i] = (byte) ('0' + (v % 10));
			v /= 10;
		}
		return p + digits;
	}

	/**
	 * Start of the string value of {@code "key":} (just after the opening quote), or -1.
	 */
	private static int stringValue(byte[] b, int off, int end, byte[] key) {
		int k = WsConn.indexOf(b, off, end, key);
		if (k < 0) {
			return -1;
		}
		int p = k + key.length;
		while (p < end && b[p] == ' ') {
			p++;
		}
		if (p >= end || b[p] != '"') {
			return -1;
		}
		return p + 1;
	}

	static int msgType(byte[] b, int off, int len) {
		int end = off + len;
		int p = stringValue(b, off, end, MSG_KEY);
		if (p < 0) {
			return NONE;
		}
		int q = p;
		while (q < end && b[q] != '"') {
			q++;
		}
		int n = q - p;
		switch (b[p]) {
			case 'r':
				if (n == 6 && b[p + 1] == 'e' && b[p + 2] == 's') {
					return RESULT;
				}
				if (n == 5 && b[p + 1] == 'e' && b[p + 2] == 'a') {
					return READY;
				}
				return OTHER;
			case 'u':
				return n == 7 ? UPDATED : OTHER;
			case 'c':
				return n == 9 ? CONNECTED : OTHER;
			case 'p':
				return (n == 4 && b[p + 1] == 'i') ? PING : OTHER;
			case 'n':
				return n == 5 ? NOSUB : OTHER;
			case 'm':
				return n == 6 ? METHOD : OTHER;
			case 'f':
				return n == 6 ? FAILED : OTHER;
			case 'e':
				return n == 5 ? ERROR : OTHER;
			case 'a':
				return n == 5 ? ADDED : OTHER;
			default:
				return OTHER;
		}
	}

	/** The decimal {@code id} of a frame, or -1. */
	static long id(byte[] b, int off, int len) {
		int end = off + len;
		int p = stringValue(b, off, end, ID_KEY);
		if (p < 0) {
			return -1;
		}
		int stop = digitsEnd(b, p, end);
		return (stop == p || stop >= end || b[stop] != '"') ? -1 : digits(b, p, stop);
	}

	/**
	 * The non-negative integer right after the first {@code key} (for example
	 * {@code "n":}) in a frame, or -1.
	 */
	static long numberAfter(byte[] b, int off, int len, byte[] key) {
		int end = off + len;
		int k = WsConn.indexOf(b, off, end, key);
		if (k < 0) {
			return -1;
		}
		int p = k + key.length;
		int stop = digitsEnd(b, p, end);
		return (stop == p) ? -1 : digits(b, p, stop);
	}

	private static int digitsEnd(byte[] b, int p, int end) {
		while (p < end && b[p] >= '0' && b[p] <= '9') {
			p++;
		}
		return p;
	}

	private static long digits(byte[] b, int from, int to) {
		long v = 0;
		for (int p = from; p < to; p++) {
			v = v * 10 + (b[p] - '0');
		}
		return v;
	}

	/** {@code pong} answering a {@code ping} (same id when the ping had one). */
	static byte[] pong(byte[] b, int off, int len) {
		int end = off + len;
		int p = stringValue(b, off, end, ID_KEY);
		if (p < 0) {
			return PONG;
		}
		int q = p;
		while (q < end && b[q] != '"') {
			q++;
		}
		return ascii("{\"msg\":\"pong\",\"id\":\"" + new String(b, p, q - p, StandardCharsets.UTF_8) + "\"}");
	}

	static boolean contains(byte[] b, int off, int len, byte[] pattern) {
		return WsConn.indexOf(b, off, off + len, pattern) >= 0;
	}

}
