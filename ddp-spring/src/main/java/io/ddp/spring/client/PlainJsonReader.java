package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a JSON value that is plain JSON from a frame's text, without a Jackson parser:
 * {@code null}, booleans, integers of up to 18 digits, strings without escapes or control
 * characters, and arrays and objects of these whose keys do not start with {@code $}. It
 * builds what the EJSON value reader builds for them ({@link ArrayList},
 * {@link LinkedHashMap}, {@link Integer} or {@link Long}); anything else (EJSON forms,
 * floating point, escapes, deep nesting, malformed text) makes it give up, so that the
 * caller parses the frame with Jackson instead. The common method result is plain, and a
 * Jackson parser with its contexts costs more than the value itself.
 * {@link #readsAsMapperDoes} checks once per mapper that both read the same values.
 *
 * <p>
 * One instance reads one value; not thread-safe (each frame gets its own, on the I/O
 * thread).
 *
 * @since 0.1.0
 */
final class PlainJsonReader {

	/** Returned by {@link #read()} when the value is not plain JSON. */
	static final Object NOT_PLAIN = new Object();

	private static final int MAX_DEPTH = 32;

	private final String text;

	private int pos;

	/**
	 * Create a reader of the value starting at the given index.
	 * @param text the text
	 * @param start the index of the value's first character
	 */
	PlainJsonReader(String text, int start) {
		this.text = text;
		this.pos = start;
	}

	/**
	 * Return the index after the value (and any whitespace after it).
	 * @return the index
	 */
	int position() {
		return this.pos;
	}

	/**
	 * Read the value.
	 * @return the value, or {@link #NOT_PLAIN} when the value is not plain JSON
	 */
	@Nullable Object read() {
		Object value = value(0);
		if (value != NOT_PLAIN) {
			skipWhitespace();
		}
		return value;
	}

	private @Nullable Object value(int depth) {
		skipWhitespace();
		if (this.pos >= this.text.length()) {
			return NOT_PLAIN;
		}
		char c = this.text.charAt(this.pos);
		return switch (c) {
			case '"' -> string();
			case '{' -> (depth < MAX_DEPTH) ? object(depth) : NOT_PLAIN;
			case '[' -> (depth < MAX_DEPTH) ? array(depth) : NOT_PLAIN;
			case 'n' -> literal("null", null);
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			default -> ((c >= '0' && c <= '9') || c == '-') ? integer() : NOT_PLAIN;
		};
	}

	private @Nullable Object literal(String literal, @Nullable Object value) {
		if (!this.text.startsWith(literal, this.pos)) {
			return NOT_PLAIN;
		}
		this.pos += literal.length();
		return value;
	}

	private Object string() {
		String text = this.text;
		int start = this.pos + 1;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"') {
				this.pos = i + 1;
				return text.substring(start, i);
			}
			if (c == '\\' || c < 0x20) {
				return NOT_PLAIN;
			}
		}
		return NOT_PLAIN;
	}

	private Object integer() {
		String text = this.text;
		int i = this.pos;
		boolean negative = text.charAt(i) == '-';
		if (negative) {
			i++;
		}
		int first = i;
		long value = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				break;
			}
			value = value * 10 + (c - '0');
			i++;
		}
		int digits = i - first;
		// leading zeros, -0 and long numbers are left to Jackson
		if (digits == 0 || digits > 18 || (text.charAt(first) == '0' && (digits > 1 || negative))) {
			return NOT_PLAIN;
		}
		if (i < text.length()) {
			char next = text.charAt(i);
			if (next == '.' || next == 'e' || next == 'E') {
				return NOT_PLAIN;
			}
		}
		this.pos = i;
		value = negative ? -value : value;
		// Jackson's smallest fitting type, as the EJSON reader returns it
		return (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) ? (Object) (int) value : (Object) value;
	}

	private Object array(int depth) {
		this.pos++;
		List<@Nullable Object> list = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return list;
		}
		while (true) {
			Object element = value(depth + 1);
			if (element == NOT_PLAIN) {
				return NOT_PLAIN;
			}
			list.add(element);
			skipWhitespace();
			char c = peek();
			this.pos++;
			if (c == ']') {
				return list;
			}
			if (c != ',') {
				return NOT_PLAIN;
			}
		}
	}

	private Object object(int depth) {
		this.pos++;
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return map;
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				return NOT_PLAIN;
			}
			Object key = string();
			// keys with $ may be EJSON forms or escapes: the EJSON reader decides
			if (!(key instanceof String name) || name.startsWith("$")) {
				return NOT_PLAIN;
			}
			skipWhitespace();
			if (peek() != ':') {
				return NOT_PLAIN;
			}
			this.pos++;
			Object value = value(depth + 1);
			if (value == NOT_PLAIN) {
				return NOT_PLAIN;
			}
			map.put(name, value);
			skipWhitespace();
			char c = peek();
			this.pos++;
			if (c == '}') {
				return map;
			}
			if (c != ',') {
				return NOT_PLAIN;
			}
		}
	}

	private char peek() {
		return (this.pos < this.text.length()) ? this.text.charAt(this.pos) : 0;
	}

	private void skipWhitespace() {
		String text = this.text;
		while (this.pos < text.length()) {
			char c = text.charAt(this.pos);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.pos++;
		}
	}

	/**
	 * Whether this reader reads what a mapper reads into {@code Object}: a mapper
	 * configured otherwise (longs or big integers for all integers, custom deserializers)
	 * always goes through Jackson.
	 * @param mapper the mapper
	 * @return whether plain results may skip it
	 */
	static boolean readsAsMapperDoes(JsonMapper mapper) {
		String probe = "[42,-7,3000000000,\"s\",true,false,null,{\"b\":{\"c\":[]},\"a\":null,\"d\":{}},[[1]]]";
		try {
			Object plain = new PlainJsonReader(probe, 0).read();
			Object jackson = mapper.readValue(probe, Object.class);
			return sameValue(plain, jackson);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Whether the mapper binds plain JSON scalars to {@code String}, {@code Integer},
	 * {@code Long} and {@code Boolean} as {@link #scalar} does (a mapper with custom
	 * deserializers for them goes through Jackson).
	 * @param mapper the mapper
	 * @return whether such results may skip it
	 */
	static boolean bindsScalarsAsMapperDoes(JsonMapper mapper) {
		try {
			return "s".equals(mapper.readValue("\"s\"", String.class))
					&& Integer.valueOf(-42).equals(mapper.readValue("-42", Integer.class))
					&& Long.valueOf(42).equals(mapper.readValue("42", Long.class))
					&& Boolean.TRUE.equals(mapper.readValue("true", Boolean.class));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	static boolean isScalar(JavaType type) {
		Class<?> raw = type.getRawClass();
		return raw == String.class || raw == Integer.class || raw == Long.class || raw == Boolean.class;
	}

	/**
	 * A plain value as Jackson binds it to one of the {@link #isScalar} types, or
	 * {@link PlainJsonReader#NOT_PLAIN} when Jackson would coerce it (a number to a
	 * string, say) or fail: those cases are left to Jackson.
	 */
	static @Nullable Object scalar(Class<?> type, @Nullable Object value) {
		if (value == null) {
			return null;
		}
		if (type == Long.class && value instanceof Integer small) {
			return small.longValue();
		}
		return (value.getClass() == type) ? value : NOT_PLAIN;
	}

	// equal and of the same classes throughout, map order included
	private static boolean sameValue(@Nullable Object a, @Nullable Object b) {
		if (a == null || b == null) {
			return a == b;
		}
		if (a.getClass() != b.getClass()) {
			return false;
		}
		if (a instanceof List<?> left) {
			List<?> right = (List<?>) b;
			if (left.size() != right.size()) {
				return false;
			}
			for (int i = 0; i < left.size(); i++) {
				if (!sameValue(left.get(i), right.get(i))) {
					return false;
				}
			}
			return true;
		}
		if (a instanceof Map<?, ?> left) {
			List<? extends Map.Entry<?, ?>> l = new ArrayList<>(left.entrySet());
			List<? extends Map.Entry<?, ?>> r = new ArrayList<>(((Map<?, ?>) b).entrySet());
			if (l.size() != r.size()) {
				return false;
			}
			for (int i = 0; i < l.size(); i++) {
				if (!l.get(i).getKey().equals(r.get(i).getKey())
						|| !sameValue(l.get(i).getValue(), r.get(i).getValue())) {
					return false;
				}
			}
			return true;
		}
		return a.equals(b);
	}

}
