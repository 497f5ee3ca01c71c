package io.ddp.spring.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.POJONode;

/**
 * Decodes plain JSON values into EJSON values the way Meteor's {@code fromJSONValue}
 * does: top down, so that a special form's converter sees its members as plain JSON.
 * Works on Java values (maps, lists, scalars) and on Jackson trees, and validates trees
 * without building values.
 */
final class EjsonDecoder {

	/** JavaScript's largest time value in milliseconds (TimeClip). */
	private static final double MAX_TIME = 8.64e15;

	private final EjsonTypeRegistry types;

	EjsonDecoder(EjsonTypeRegistry types) {
		this.types = types;
	}

	EjsonTypeRegistry types() {
		return this.types;
	}

	/**
	 * The special form an object denotes, decided by its key set alone (Meteor's
	 * {@code matchJSONValue} rules). An object with more than two keys, or with a key not
	 * starting with {@code $}, is never special.
	 */
	enum Form {

		NONE, DATE, REGEXP, INF_NAN, BINARY, ESCAPE, TYPE;

		static Form of(int size, String first, @Nullable String second) {
			if (size == 1) {
				return switch (first) {
					case "$date" -> DATE;
					case "$InfNaN" -> INF_NAN;
					case "$binary" -> BINARY;
					case "$escape" -> ESCAPE;
					default -> NONE;
				};
			}
			if (size == 2 && second != null) {
				if (isPair(first, second, "$regexp", "$flags")) {
					return REGEXP;
				}
				if (isPair(first, second, "$type", "$value")) {
					return TYPE;
				}
			}
			return NONE;
		}

		private static boolean isPair(String first, String second, String a, String b) {
			return (first.equals(a) && second.equals(b)) || (first.equals(b) && second.equals(a));
		}

	}

	static Form formOf(Map<?, ?> map) {
		int size = map.size();
		if (size == 0 || size > 2) {
			return Form.NONE;
		}
		Iterator<?> keys = map.keySet().iterator();
		String first = String.valueOf(keys.next());
		String second = keys.hasNext() ? String.valueOf(keys.next()) : null;
		return Form.of(size, first, second);
	}

	static Form formOf(JsonNode object) {
		int size = object.size();
		if (size == 0 || size > 2) {
			return Form.NONE;
		}
		Iterator<String> names = object.propertyNames().iterator();
		String first = names.next();
		String second = names.hasNext() ? names.next() : null;
		return Form.of(size, first, second);
	}

	/**
	 * Decode a plain JSON value, replacing map values and list elements in place.
	 * @param raw a plain JSON value
	 * @return the EJSON value
	 */
	@Nullable Object decode(@Nullable Object raw) {
		if (raw instanceof Map<?, ?> map) {
			Form form = formOf(map);
			if (form != Form.NONE) {
				return convert(form, map);
			}
			decodeValues(map);
			return map;
		}
		if (raw instanceof List<?> list) {
			ListIterator<Object> elements = castList(list);
			while (elements.hasNext()) {
				elements.set(decode(elements.next()));
			}
			return list;
		}
		return raw;
	}

	/**
	 * Decode the values of a map that is not a special form, in place.
	 * @param map a map of plain JSON values
	 */
	void decodeValues(Map<?, ?> map) {
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			setValue(entry, decode(entry.getValue()));
		}
	}

	/**
	 * Decode a JSON tree into EJSON values.
	 * @param node the tree
	 * @return the EJSON value
	 */
	@Nullable Object decode(JsonNode node) {
		switch (node.getNodeType()) {
			case OBJECT -> {
				Form form = formOf(node);
				if (form != Form.NONE) {
					return convert(form, rawMap(node));
				}
				Map<String, @Nullable Object> map = new LinkedHashMap<>(capacity(node.size()));
				for (Map.Entry<String, JsonNode> property : node.properties()) {
					map.put(property.getKey(), decode(property.getValue()));
				}
				return map;
			}
			case ARRAY -> {
				List<@Nullable Object> list = new ArrayList<>(node.size());
				for (JsonNode element : node) {
					list.add(decode(element));
				}
				return list;
			}
			default -> {
				return scalar(node);
			}
		}
	}

	/**
	 * Check that decoding the tree would succeed, without building values except for
	 * custom types, whose factories must run.
	 * @param node the tree
	 * @throws EjsonException if decoding would fail
	 */
	void validate(JsonNode node) {
		if (node.isArray()) {
			for (JsonNode element : node) {
				validate(element);
			}
			return;
		}
		if (!node.isObject()) {
			return;
		}
		switch (formOf(node)) {
			case NONE -> {
				for (JsonNode value : node.values()) {
					validate(value);
				}
			}
			case DATE -> toInstant(raw(node.get("$date")));
			case BINARY -> {
				JsonNode value = node.get("$binary");
				if (value.isString()) {
					requireBase64(value.stringValue());
				}
				else {
					toBytes(raw(value));
				}
			}
			case ESCAPE -> {
				JsonNode value = node.get("$escape");
				if (value.isNull() || value.isMissingNode()) {
					throw invalidEscape();
				}
				if (value.isContainer()) {
					for (JsonNode member : value.values()) {
						validate(member);
					}
				}
			}
			case REGEXP -> toRegExp(raw(node.get("$regexp")), raw(node.get("$flags")));
			case TYPE -> convert(Form.TYPE, rawMap(node));
			case INF_NAN -> {
				// Any value divides to a number
			}
		}
	}

	/**
	 * Convert a special form whose members are still plain JSON.
	 * @param form the form, not {@link Form#NONE}
	 * @param raw the object
	 * @return the EJSON value
	 */
	@Nullable Object convert(Form form, Map<?, ?> raw) {
		return switch (form) {
			case DATE -> toInstant(raw.get("$date"));
			case INF_NAN -> JsValues.toNumber(raw.get("$InfNaN")) / 0.0;
			case BINARY -> toBytes(raw.get("$binary"));
			case ESCAPE -> unescape(raw.get("$escape"));
			case REGEXP -> toRegExp(raw.get("$regexp"), raw.get("$flags"));
			case TYPE -> toCustomType(raw.get("$type"), raw.get("$value"));
			case NONE -> throw new IllegalArgumentException("Not a special form");
		};
	}

	/**
	 * JavaScript's {@code new Date(value)} as far as Java can represent the result:
	 * numbers (and {@code null} and booleans, which convert to numbers) are clipped to
	 * whole milliseconds; strings must be ISO-8601 date-times with offset or plain dates.
	 * An invalid JavaScript date has no Java equivalent, so it is an error.
	 */
	static Instant toInstant(@Nullable Object value) {
		if (value == null || value instanceof Number || value instanceof Boolean) {
			double time = JsValues.toNumber(value);
			if (Double.isNaN(time) || Math.abs(time) > MAX_TIME) {
				throw new EjsonException("Invalid $date value: " + JsValues.toJsString(value));
			}
			return Instant.ofEpochMilli((long) time);
		}
		if (value instanceof String text) {
			try {
				return OffsetDateTime.parse(text).toInstant();
			}
			catch (DateTimeParseException ex) {
				try {
					return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
				}
				catch (DateTimeParseException ex2) {
					throw new EjsonException("Invalid $date value: " + text, ex);
				}
			}
		}
		if (value instanceof Instant instant) {
			return instant;
		}
		throw new EjsonException("Invalid $date value: " + JsValues.toJsString(value));
	}

	static byte[] toBytes(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			// An embedded binary value from a token buffer or tree
			return bytes;
		}
		String text = requireBase64((value instanceof String string) ? string : null);
		return Base64.getDecoder().decode(text);
	}

	/**
	 * Require standard base64 (alphabet {@code A-Z a-z 0-9 + /}) with optional but
	 * correct {@code =} padding and no line breaks: what Meteor writes, and exactly what
	 * {@link Base64#getDecoder()} accepts.
	 */
	static String requireBase64(@Nullable String value) {
		if (value == null) {
			throw new EjsonException("Invalid base64 string in $binary: not a string");
		}
		int length = value.length();
		int padding = 0;
		if (length > 0 && value.charAt(length - 1) == '=') {
			padding = (length > 1 && value.charAt(length - 2) == '=') ? 2 : 1;
		}
		int dataLength = length - padding;
		for (int i = 0; i < dataLength; i++) {
			char ch = value.charAt(i);
			boolean valid = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')
					|| ch == '+' || ch == '/';
			if (!valid) {
				throw new EjsonException("Invalid base64 string in $binary: illegal character at index " + i);
			}
		}
		boolean validLength = (padding > 0) ? (length % 4 == 0) : (dataLength % 4 != 1);
		if (!validLength) {
			throw new EjsonException("Invalid base64 string in $binary: bad length or padding");
		}
		return value;
	}

	private static EjsonRegExp toRegExp(@Nullable Object source, @Nullable Object flags) {
		if (!(source instanceof String sourceText) || !(flags instanceof String flagsText)) {
			throw new EjsonException("Invalid EJSON regular expression: $regexp and $flags must be strings");
		}
		return EjsonRegExp.decode(sourceText, flagsText);
	}

	/**
	 * Meteor copies the own keys of {@code $escape}'s value ({@code Object.keys}): an
	 * object gives its members, an array or a string its indexes, other values nothing,
	 * and {@code null} fails.
	 */
	private Map<String, @Nullable Object> unescape(@Nullable Object value) {
		if (value == null) {
			throw invalidEscape();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> result = new LinkedHashMap<>(capacity(map.size()));
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				result.put(String.valueOf(entry.getKey()), decode(entry.getValue()));
			}
			return result;
		}
		Map<String, @Nullable Object> result = new LinkedHashMap<>();
		if (value instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				result.put(Integer.toString(i), decode(list.get(i)));
			}
		}
		else if (value instanceof String string) {
			for (int i = 0; i < string.length(); i++) {
				result.put(Integer.toString(i), String.valueOf(string.charAt(i)));
			}
		}
		return result;
	}

	private static EjsonException invalidEscape() {
		return new EjsonException("Invalid $escape value: null");
	}

	private Object toCustomType(@Nullable Object typeName, @Nullable Object value) {
		EjsonType<?> type = (typeName instanceof String name) ? this.types.find(name) : null;
		if (type == null) {
			throw new EjsonException("Custom EJSON type " + JsValues.toJsString(typeName) + " is not defined");
		}
		Object result;
		try {
			result = type.fromJsonValue(decode(value));
		}
		catch (EjsonException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new EjsonException("Invalid value for custom EJSON type " + type.name() + ": " + ex.getMessage(), ex);
		}
		if (result == null) {
			throw new EjsonException("Custom EJSON type " + type.name() + " created null");
		}
		return result;
	}

	/**
	 * Convert a tree to plain JSON values without any EJSON decoding.
	 * @param node the tree
	 * @return the plain value
	 */
	static @Nullable Object raw(@Nullable JsonNode node) {
		if (node == null) {
			return null;
		}
		if (node.isObject()) {
			return rawMap(node);
		}
		if (node.isArray()) {
			List<@Nullable Object> list = new ArrayList<>(node.size());
			for (JsonNode element : node) {
				list.add(raw(element));
			}
			return list;
		}
		return scalar(node);
	}

	// Map<?, ?> as convert takes it: NullAway 0.12.3 reads that wildcard as a non-null
	// type argument (uber/NullAway#1126), though the values may be null
	@SuppressWarnings("NullAway")
	private static Map<?, ?> rawMap(JsonNode node) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>(capacity(node.size()));
		for (Map.Entry<String, JsonNode> property : node.properties()) {
			map.put(property.getKey(), raw(property.getValue()));
		}
		return map;
	}

	private static @Nullable Object scalar(JsonNode node) {
		return switch (node.getNodeType()) {
			case STRING -> node.stringValue();
			case NUMBER -> JsNumbers.fromJson(node.numberValue());
			case BOOLEAN -> node.booleanValue();
			case BINARY -> node.binaryValue();
			case POJO -> ((POJONode) node).getPojo();
			default -> null;
		};
	}

	static int capacity(int size) {
		return (size < 3) ? size + 1 : (int) (size / 0.75f) + 1;
	}

	@SuppressWarnings("unchecked")
	private static void setValue(Map.Entry<?, ?> entry, @Nullable Object value) {
		((Map.Entry<Object, @Nullable Object>) entry).setValue(value);
	}

	@SuppressWarnings("unchecked")
	private static ListIterator<Object> castList(List<?> list) {
		return ((List<Object>) list).listIterator();
	}

}
