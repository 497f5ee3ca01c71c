package io.ddp.spring.server;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A seeded generator of hostile DDP input: random and truncated JSON, deep nesting, huge
 * numbers, prototype names as {@code msg}, hostile EJSON, lone surrogates, and (as bytes)
 * invalid UTF-8. The same seed gives the same frames.
 */
final class FuzzFrames {

	private static final List<String> MSGS = List.of("connect", "method", "sub", "unsub", "ping", "pong", "__proto__",
			"constructor", "toString", "hasOwnProperty", "valueOf", "added", "result", "nosub", "", "error");

	// Only the application's well-behaved methods and publications: the test
	// application's deliberately failing ones log errors by design.
	private static final List<String> METHODS = List.of("echo", "/tasks/insert", "/tasks/update", "/tasks/remove",
			"/secrets/insert", "/secrets/update", "nope", "__proto__", "constructor");

	private static final List<String> PUBLICATIONS = List.of("fuzzTasks", "noCursors", "nope", "__proto__", "toString");

	private static final List<String> EJSON = List.of("{\"$date\":1}", "{\"$date\":\"x\"}", "{\"$date\":1e400}",
			"{\"$date\":-8.64e15}", "{\"$date\":9e15}", "{\"$binary\":\"AAAA\"}", "{\"$binary\":\"!!!\"}",
			"{\"$binary\":1}", "{\"$type\":\"oid\",\"$value\":\"x\"}", "{\"$type\":\"nope\",\"$value\":1}",
			"{\"$InfNaN\":1}", "{\"$InfNaN\":0}", "{\"$InfNaN\":\"a\"}", "{\"$regexp\":\"(\",\"$flags\":\"\"}",
			"{\"$regexp\":1}", "{\"$regexp\":\"a\",\"$flags\":\"zz\"}", "{\"$escape\":{\"$date\":\"\\ud83d\"}}",
			"{\"$escape\":1}", "{\"$date\":1,\"x\":2}", "{\"_id\":{\"$type\":\"oid\",\"$value\":1}}",
			"{\"$set\":{\"a\":1}}", "{\"$set\":{\"$date\":1}}", "{\"$inc\":{\"n\":\"x\"}}", "{\"$unset\":{\"_id\":1}}",
			"{\"$push\":{\"a\":{\"$each\":1}}}", "{\"$rename\":{\"a\":\"_id\"}}", "{\"__proto__\":{\"x\":1}}");

	private static final List<String> STRINGS = List.of("", "x", "evil \\ud800 text", "\\udc00", "\\ud83d\\ude00",
			"\\u0000", "__proto__", "constructor", "toString", "$date", "-", "\\\"", "\\n", "a.b", "$set",
			"\u00e9\u4e2d", "0", "1e999");

	private final Random random;

	FuzzFrames(long seed) {
		this.random = new Random(seed);
	}

	Random random() {
		return this.random;
	}

	/**
	 * One DDP message as text (always valid UTF-16; lone surrogates only as escapes).
	 */
	String message() {
		int kind = this.random.nextInt(100);
		if (kind < 30) {
			return method();
		}
		if (kind < 42) {
			return subscription();
		}
		if (kind < 50) {
			return object(this.random.nextInt(4));
		}
		if (kind < 58) {
			return truncate(method());
		}
		if (kind < 64) {
			return deep();
		}
		if (kind < 70) {
			return "{\"msg\":" + number() + "}";
		}
		if (kind < 78) {
			return "{\"msg\":" + quote(pick(MSGS)) + ",\"id\":" + value(2) + "}";
		}
		if (kind < 84) {
			return value(3);
		}
		if (kind < 90) {
			return "{\"msg\":\"connect\",\"version\":" + value(1) + ",\"support\":" + value(2) + "}";
		}
		if (kind < 95) {
			return noise();
		}
		return "{\"msg\":\"ping\",\"id\":" + value(1) + "}";
	}

	String method() {
		StringBuilder out = new StringBuilder("{\"msg\":\"method\",\"id\":");
		out.append(this.random.nextInt(10) == 0 ? value(1) : quote("f" + this.random.nextInt(1000)));
		out.append(",\"method\":").append(this.random.nextInt(12) == 0 ? value(1) : quote(pick(METHODS)));
		if (this.random.nextInt(8) != 0) {
			out.append(",\"params\":").append(this.random.nextInt(10) == 0 ? value(2) : params());
		}
		if (this.random.nextInt(6) == 0) {
			out.append(",\"randomSeed\":").append(this.random.nextBoolean() ? quote("seed") : value(1));
		}
		return out.append('}').toString();
	}

	private String subscription() {
		StringBuilder out = new StringBuilder("{\"msg\":");
		out.append(this.random.nextInt(4) == 0 ? "\"unsub\"" : "\"sub\"");
		out.append(",\"id\":").append(this.random.nextInt(8) == 0 ? value(1) : quote("s" + this.random.nextInt(50)));
		out.append(",\"name\":").append(this.random.nextInt(10) == 0 ? value(1) : quote(pick(PUBLICATIONS)));
		if (this.random.nextInt(4) != 0) {
			out.append(",\"params\":").append(params());
		}
		return out.append('}').toString();
	}

	private String params() {
		int count = this.random.nextInt(4);
		StringBuilder out = new StringBuilder("[");
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				out.append(',');
			}
			out.append(this.random.nextInt(3) == 0 ? pick(EJSON) : value(3));
		}
		return out.append(']').toString();
	}

	String value(int depth) {
		int kind = this.random.nextInt((depth > 0) ? 10 : 6);
		return switch (kind) {
			case 0 -> "null";
			case 1 -> this.random.nextBoolean() ? "true" : "false";
			case 2 -> number();
			case 3, 4 -> quote(pick(STRINGS));
			case 5 -> pick(EJSON);
			case 6, 7 -> object(depth - 1);
			default -> array(depth - 1);
		};
	}

	private String object(int depth) {
		int count = this.random.nextInt(4);
		StringBuilder out = new StringBuilder("{");
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				out.append(',');
			}
			String name = this.random.nextBoolean() ? pick(STRINGS) : pick(MSGS);
			out.append(quote(this.random.nextInt(5) == 0 ? "msg" : name)).append(':').append(value(depth));
		}
		return out.append('}').toString();
	}

	private String array(int depth) {
		int count = this.random.nextInt(4);
		StringBuilder out = new StringBuilder("[");
		for (int i = 0; i < count; i++) {
			if (i > 0) {
				out.append(',');
			}
			out.append(value(depth));
		}
		return out.append(']').toString();
	}

	private String number() {
		return switch (this.random.nextInt(8)) {
			case 0 -> "9".repeat(1 + this.random.nextInt(1200));
			case 1 -> "-" + "9".repeat(300 + this.random.nextInt(20));
			case 2 -> "1e" + this.random.nextInt(2000);
			case 3 -> "-0";
			case 4 -> "0." + "0".repeat(this.random.nextInt(400)) + "1";
			case 5 -> Double.toString(this.random.nextGaussian() * 1e300);
			default -> Long.toString(this.random.nextLong());
		};
	}

	private String deep() {
		int depth = 400 + this.random.nextInt(700);
		String open = this.random.nextBoolean() ? "[" : "{\"a\":";
		String close = open.equals("[") ? "]" : "}";
		String where = pick(List.of("id", "params", "name", "msg", "randomSeed"));
		String nested = open.repeat(depth) + close.repeat(depth);
		String msg = this.random.nextBoolean() ? "method" : "sub";
		return "{\"msg\":\"" + msg + "\",\"" + where + "\":" + nested + "}";
	}

	private String noise() {
		int length = this.random.nextInt(64);
		String alphabet = "{}[]\":,\\ntrufalse0123456789.eE+-$ \t";
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < length; i++) {
			out.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return out.toString();
	}

	String truncate(String text) {
		return text.substring(0, this.random.nextInt(Math.max(1, text.length())));
	}

	/**
	 * Bytes that are not UTF-8: a stray continuation byte, an overlong form, or an
	 * encoded surrogate.
	 */
	byte[] invalidUtf8() {
		byte[] prefix = "{\"msg\":\"method\",\"id\":\"x".getBytes(StandardCharsets.UTF_8);
		byte[][] bad = { { (byte) 0x80 }, { (byte) 0xC0, (byte) 0xAF }, { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
				{ (byte) 0xFF }, { (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80 } };
		byte[] chosen = bad[this.random.nextInt(bad.length)];
		byte[] out = new byte[prefix.length + chosen.length];
		System.arraycopy(prefix, 0, out, 0, prefix.length);
		System.arraycopy(chosen, 0, out, prefix.length, chosen.length);
		return out;
	}

	byte[] bytes() {
		byte[] out = new byte[this.random.nextInt(200)];
		this.random.nextBytes(out);
		return out;
	}

	private <T> T pick(List<T> values) {
		return values.get(this.random.nextInt(values.size()));
	}

	static String quote(String escapedText) {
		return "\"" + escapedText + "\"";
	}

}
