package io.ddp.spring.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.EjsonRegExp;
import io.ddp.spring.protocol.ObjectId;
import org.jspecify.annotations.Nullable;

/**
 * EJSON values as queries see them: Minimongo's type order and comparison, path lookup
 * with Mongo's array branching, and the normal form that gives query objects structural
 * equality.
 */
final class Values {

	/**
	 * The value of a path that leads nowhere (JavaScript's {@code undefined}).
	 */
	static final Object MISSING = new Object() {

		@Override
		public String toString() {
			return "undefined";
		}

	};

	private Values() {
	}

	/**
	 * Rank of a value's type in Minimongo's order: undefined and null, numbers, strings,
	 * objects, arrays, binary, ObjectID, booleans, dates, regular expressions; other
	 * custom types last.
	 */
	static int typeRank(@Nullable Object value) {
		if (value == null || value == MISSING) {
			return 0;
		}
		if (value instanceof Number) {
			return 1;
		}
		if (value instanceof String) {
			return 2;
		}
		if (value instanceof Map<?, ?>) {
			return 3;
		}
		if (value instanceof List<?>) {
			return 4;
		}
		if (value instanceof byte[]) {
			return 5;
		}
		if (value instanceof ObjectId) {
			return 6;
		}
		if (value instanceof Boolean) {
			return 7;
		}
		if (value instanceof Instant || value instanceof Date) {
			return 8;
		}
		if (value instanceof EjsonRegExp || value instanceof Pattern) {
			return 9;
		}
		return 10;
	}

	/**
	 * Minimongo's {@code _f._type}, the BSON type code of a value as {@code $type} tests
	 * it: 1 for every number, 2 string, 3 object, 4 list, 5 binary, 7 ObjectID, 8
	 * boolean, 9 date, 10 {@code null}, 11 regular expression.
	 */
	static int typeCode(@Nullable Object value) {
		Object decoded = decode(value);
		if (decoded instanceof Number
				|| decoded instanceof Map<?, ?> map && map.size() == 1 && map.containsKey("$InfNaN")) {
			return 1;
		}
		if (decoded instanceof String) {
			return 2;
		}
		if (decoded instanceof Boolean) {
			return 8;
		}
		if (decoded instanceof List<?>) {
			return 4;
		}
		if (decoded == null) {
			return 10;
		}
		if (Regexes.isRegExp(decoded) || decoded instanceof Pattern) {
			return 11;
		}
		if (decoded instanceof Instant || decoded instanceof Date) {
			return 9;
		}
		if (decoded instanceof byte[]) {
			return 5;
		}
		if (decoded instanceof ObjectId) {
			return 7;
		}
		return 3;
	}

	/**
	 * Minimongo's {@code _f._cmp}: by type rank, then within the type.
	 */
	static int compare(@Nullable Object a, @Nullable Object b) {
		if (a == MISSING || b == MISSING) {
			return (a == b) ? 0 : (a == MISSING) ? -1 : 1;
		}
		int rankA = typeRank(a);
		int rankB = typeRank(b);
		if (rankA != rankB) {
			return Integer.compare(rankA, rankB);
		}
		if (a == null || b == null) {
			return 0;
		}
		return switch (rankA) {
			case 1 -> compareNumbers((Number) a, (Number) b);
			case 2 -> ((String) a).compareTo((String) b);
			case 3 -> compareMaps((Map<?, ?>) a, (Map<?, ?>) b);
			case 4 -> compareLists(asList(a), asList(b));
			case 5 -> compareBinary((byte[]) a, (byte[]) b);
			case 6 -> ((ObjectId) a).hexString().compareTo(((ObjectId) b).hexString());
			case 7 -> Boolean.compare((Boolean) a, (Boolean) b);
			case 8 -> Long.compare(millis(a), millis(b));
			case 9 -> regExp(a).toString().compareTo(regExp(b).toString());
			default -> a.toString().compareTo(b.toString());
		};
	}

	static int compareNumbers(Number a, Number b) {
		if (isIntegral(a) && isIntegral(b)) {
			return Long.compare(a.longValue(), b.longValue());
		}
		double x = a.doubleValue();
		double y = b.doubleValue();
		if (Double.isNaN(x) || Double.isNaN(y)) {
			// Minimongo sorts NaN as 0 - NaN: neither before nor after, so equal
			return 0;
		}
		return (x < y) ? -1 : (x > y) ? 1 : 0;
	}

	private static boolean isIntegral(Number number) {
		return number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte;
	}

	// NullAway 0.12 rejects List<@Nullable Object> for List<? extends @Nullable Object>
	@SuppressWarnings("NullAway")
	private static int compareMaps(Map<?, ?> a, Map<?, ?> b) {
		return compareLists(flatten(a), flatten(b));
	}

	private static List<@Nullable Object> flatten(Map<?, ?> map) {
		// Minimongo compares objects as the list of their keys and values, in key order
		List<@Nullable Object> flat = new ArrayList<>(map.size() * 2);
		map.forEach((key, value) -> {
			flat.add(key);
			flat.add(value);
		});
		return flat;
	}

	private static int compareLists(List<? extends @Nullable Object> a, List<? extends @Nullable Object> b) {
		Iterator<? extends @Nullable Object> i = a.iterator();
		Iterator<? extends @Nullable Object> j = b.iterator();
		while (i.hasNext() && j.hasNext()) {
			int result = compare(i.next(), j.next());
			if (result != 0) {
				return result;
			}
		}
		return Boolean.compare(i.hasNext(), j.hasNext());
	}

	@SuppressWarnings("unchecked")
	private static List<? extends @Nullable Object> asList(Object list) {
		return (List<? extends @Nullable Object>) list;
	}

	private static int compareBinary(byte[] a, byte[] b) {
		if (a.length != b.length) {
			return Integer.compare(a.length, b.length);
		}
		for (int i = 0; i < a.length; i++) {
			int result = Integer.compare(a[i] & 0xff, b[i] & 0xff);
			if (result != 0) {
				return result;
			}
		}
		return 0;
	}

	private static long millis(Object date) {
		return (date instanceof Date legacy) ? legacy.getTime() : ((Instant) date).toEpochMilli();
	}

	private static EjsonRegExp regExp(Object value) {
		return (value instanceof Pattern pattern) ? EjsonRegExp.of(pattern) : (EjsonRegExp) value;
	}

	/**
	 * EJSON equality, with both sides normalized (so {@code {"$date": 0}} equals the
	 * epoch {@link Instant}).
	 */
	static boolean equal(@Nullable Object a, @Nullable Object b) {
		if (a == MISSING || b == MISSING) {
			return a == b;
		}
		return Ejson.equals(decode(a), decode(b));
	}

	/**
	 * Turn the EJSON object forms {@code {"$date": millis}} and {@code {"$binary":
	 * base64}} into the values {@link Ejson} decodes them to; anything else is returned
	 * as is.
	 */
	static @Nullable Object decode(@Nullable Object value) {
		if (value instanceof Map<?, ?> map && map.size() == 1) {
			Object date = map.get("$date");
			if (date instanceof Number millis) {
				return Instant.ofEpochMilli(millis.longValue());
			}
			Object binary = map.get("$binary");
			if (binary instanceof String base64) {
				try {
					return Base64.getDecoder().decode(base64);
				}
				catch (IllegalArgumentException ex) {
					return value;
				}
			}
		}
		return value;
	}

	/**
	 * Whether a map is one EJSON value written as an object ({@code {"$date": ...}} and
	 * the like) rather than an operator object.
	 */
	static boolean isEjsonObject(Map<?, ?> map) {
		if (map.size() == 1) {
			return map.containsKey("$date") || map.containsKey("$binary") || map.containsKey("$escape")
					|| map.containsKey("$InfNaN");
		}
		if (map.size() == 2) {
			return (map.containsKey("$type") && map.containsKey("$value"))
					|| (map.containsKey("$regexp") && map.containsKey("$flags"));
		}
		return false;
	}

	/**
	 * The normal form of a value in a query object: numbers as {@link Long} when whole,
	 * else {@link Double}; dates as {@link Instant}; maps and lists copied, unmodifiable.
	 * Queries built from equal values are then equal.
	 */
	static @Nullable Object normalize(@Nullable Object value) {
		value = decode(value);
		if (value instanceof Number number) {
			return normalizeNumber(number);
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, element) -> copy.put(String.valueOf(key), normalize(element)));
			return Collections.unmodifiableMap(copy);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			for (Object element : list) {
				copy.add(normalize(element));
			}
			return Collections.unmodifiableList(copy);
		}
		return value;
	}

	private static Number normalizeNumber(Number number) {
		if (isIntegral(number)) {
			return number.longValue();
		}
		if (number instanceof BigInteger || number instanceof BigDecimal) {
			BigDecimal decimal = (number instanceof BigDecimal big) ? big : new BigDecimal((BigInteger) number);
			try {
				return decimal.longValueExact();
			}
			catch (ArithmeticException ex) {
				return decimal.doubleValue();
			}
		}
		double value = number.doubleValue();
		if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 0x1p53
				&& !(value == 0 && 1 / value < 0)) {
			return (long) value;
		}
		return value;
	}

	/**
	 * Collect the values a dotted path reaches in a document, as Mongo does: a list met
	 * before the last segment is looked into element by element (and indexed by a numeric
	 * segment); a path that leads nowhere yields {@link #MISSING}. A list that the last
	 * segment picks out of a list by position is collected as a {@link Whole}.
	 */
	static void lookup(@Nullable Object value, String[] segments, int index, List<@Nullable Object> out) {
		lookup(value, segments, index, out, false);
	}

	/**
	 * Collect the values a dotted path reaches, as {@link #lookup} does or, for a sort,
	 * as Minimongo's sorter does: a numeric segment only indexes a list, and its elements
	 * are not looked into for a field of that name.
	 */
	static void lookup(@Nullable Object value, String[] segments, int index, List<@Nullable Object> out,
			boolean forSort) {
		if (index == segments.length) {
			out.add(value);
			return;
		}
		String segment = segments[index];
		if (value instanceof Map<?, ?> map) {
			if (map.containsKey(segment)) {
				lookup(map.get(segment), segments, index + 1, out, forSort);
			}
			else {
				out.add(MISSING);
			}
			return;
		}
		if (value instanceof List<?> list) {
			int position = arrayIndex(segment);
			boolean found = false;
			if (position >= 0 && position < list.size()) {
				Object element = list.get(position);
				if (index + 1 == segments.length && element instanceof List<?> inner) {
					out.add(new Whole(inner));
				}
				else {
					lookup(element, segments, index + 1, out, forSort);
				}
				found = true;
			}
			for (Object element : list) {
				if (element instanceof Map<?, ?> && !(forSort && position >= 0)) {
					lookup(element, segments, index, out, forSort);
					found = true;
				}
			}
			if (!found) {
				out.add(MISSING);
			}
			return;
		}
		out.add(MISSING);
	}

	/**
	 * A list reached by position in a list ({@code a.0} of {@code {a: [[1, 2]]}}):
	 * conditions match the list as a whole, never its elements, as in Minimongo.
	 *
	 * @param list the list
	 */
	record Whole(List<?> list) {
	}

	static int arrayIndex(String segment) {
		if (segment.isEmpty() || segment.length() > 9) {
			return -1;
		}
		for (int i = 0; i < segment.length(); i++) {
			if (!Character.isDigit(segment.charAt(i)) || segment.charAt(i) > '9') {
				return -1;
			}
		}
		return Integer.parseInt(segment);
	}

	static String[] split(String path) {
		return path.split("\\.", -1);
	}

}
