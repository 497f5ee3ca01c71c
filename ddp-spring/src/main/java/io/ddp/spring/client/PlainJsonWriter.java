package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a value that is plain JSON (the usual method parameters) straight to a frame's
 * text, without a Jackson generator, exactly as the EJSON mapper would write it; anything
 * else is left to Jackson. {@link #writesAsMapperDoes} checks once per mapper that both
 * write the same text. The counterpart of {@link PlainJsonReader}.
 *
 * @since 0.1.0
 */
final class PlainJsonWriter {

	private PlainJsonWriter() {
	}

	/**
	 * Append a value that is plain JSON, as the EJSON mapper writes it: {@code null},
	 * booleans, integers, strings of printable ASCII, and lists and string-keyed maps of
	 * these. EJSON types, floating point (EJSON writes non-finite values as objects),
	 * other characters and keys starting with {@code $} (EJSON escapes them) are left to
	 * Jackson.
	 * @return whether the value was appended; if not, the builder holds a partial value
	 */
	static boolean append(StringBuilder out, @Nullable Object value) {
		return append(out, value, 0);
	}

	private static boolean append(StringBuilder out, @Nullable Object value, int depth) {
		if (value == null) {
			out.append("null");
			return true;
		}
		Class<?> type = value.getClass();
		if (type == String.class) {
			return appendString(out, (String) value);
		}
		if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
			out.append(((Number) value).longValue());
			return true;
		}
		if (type == Boolean.class) {
			out.append(((Boolean) value).booleanValue());
			return true;
		}
		if (depth > 8) {
			return false;
		}
		if (value instanceof List<?> list) {
			out.append('[');
			for (int i = 0; i < list.size(); i++) {
				if (i > 0) {
					out.append(',');
				}
				if (!append(out, list.get(i), depth + 1)) {
					return false;
				}
			}
			out.append(']');
			return true;
		}
		if (value instanceof Map<?, ?> map) {
			out.append('{');
			boolean first = true;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				if (!(entry.getKey() instanceof String key) || key.startsWith("$")) {
					return false;
				}
				if (!first) {
					out.append(',');
				}
				first = false;
				if (!appendString(out, key)) {
					return false;
				}
				out.append(':');
				if (!append(out, entry.getValue(), depth + 1)) {
					return false;
				}
			}
			out.append('}');
			return true;
		}
		return false;
	}

	/**
	 * Append a string of printable ASCII without escapes, quoted.
	 * @return whether it was appended; if not, the builder is unchanged
	 */
	static boolean appendString(StringBuilder out, String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\' || c > 0x7E) {
				return false;
			}
		}
		out.append('"').append(value).append('"');
		return true;
	}

	/**
	 * Whether {@link #append} writes what a mapper writes: a mapper configured otherwise
	 * (sorted map keys, nulls left out, custom serializers of these types) always goes
	 * through Jackson.
	 * @param mapper the mapper
	 * @return whether plain values may skip it
	 */
	static boolean writesAsMapperDoes(JsonMapper mapper) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		map.put("b", "v");
		map.put("a", null);
		map.put("c", List.of(1, 2L, (short) 3, (byte) 4, true));
		List<@Nullable Object> probe = new ArrayList<>(List.of("s", 42, Long.MAX_VALUE, false, map, List.of()));
		probe.add(null);
		StringBuilder plain = new StringBuilder();
		try {
			return append(plain, probe) && plain.toString().equals(mapper.writeValueAsString(probe));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
