package io.ddp.spring.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * EJSON, Meteor's extended JSON, on a Jackson {@link JsonMapper} with the
 * {@link EjsonModule}: conversion between JSON (text or trees) and EJSON values, typed
 * binding, validation, canonical text, and EJSON's equality and deep copy.
 * <p>
 * EJSON values are what {@link #fromJson(JsonNode)} produces: ordered {@link Map}s with
 * string keys, {@link List}s, {@link String}s, {@link Number}s, {@link Boolean}s,
 * {@code null}, {@link Instant}s for dates, {@code byte[]} for binary data,
 * {@link EjsonRegExp}s, and instances of registered custom types.
 * <p>
 * Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Ejson {

	private final JsonMapper mapper;

	private final EjsonTypeRegistry types;

	private final EjsonDecoder decoder;

	/**
	 * Create an instance on the given mapper. A mapper that already has an
	 * {@link EjsonModule} is used as it is; any other is rebuilt with a module using
	 * {@link EjsonTypeRegistry#withDefaults()}.
	 * @param mapper the mapper, for example Spring Boot's
	 */
	public Ejson(JsonMapper mapper) {
		Objects.requireNonNull(mapper, "'mapper' must not be null");
		EjsonModule module = findModule(mapper);
		if (module != null) {
			this.mapper = mapper;
			this.types = module.types();
		}
		else {
			this.types = EjsonTypeRegistry.withDefaults();
			this.mapper = JsonMappers.rebuildWithThreadBuffers(mapper).addModule(new EjsonModule(this.types)).build();
		}
		this.decoder = new EjsonDecoder(this.types);
	}

	/**
	 * Create an instance on the given mapper, rebuilt with an {@link EjsonModule} for the
	 * given types (replacing an EJSON module it may already have).
	 * @param mapper the mapper, for example Spring Boot's
	 * @param types the custom types
	 */
	public Ejson(JsonMapper mapper, EjsonTypeRegistry types) {
		Objects.requireNonNull(mapper, "'mapper' must not be null");
		this.types = Objects.requireNonNull(types, "'types' must not be null");
		this.mapper = JsonMappers.rebuildWithThreadBuffers(mapper).addModule(new EjsonModule(types)).build();
		this.decoder = new EjsonDecoder(types);
	}

	/**
	 * Create an instance on a mapper with Jackson's defaults and the default types.
	 * @return a new instance
	 */
	public static Ejson createDefault() {
		return new Ejson(JsonMappers.plain());
	}

	private static @Nullable EjsonModule findModule(JsonMapper mapper) {
		for (JacksonModule module : mapper.registeredModules()) {
			if (module instanceof EjsonModule ejsonModule) {
				return ejsonModule;
			}
		}
		return null;
	}

	/**
	 * Return the mapper, which has the {@link EjsonModule} registered.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper;
	}

	/**
	 * Return the custom types known to this instance.
	 * @return the type registry
	 */
	public EjsonTypeRegistry types() {
		return this.types;
	}

	/**
	 * Decode a JSON tree into EJSON values.
	 * @param node the tree
	 * @return the EJSON value
	 * @throws EjsonException if the tree holds an invalid EJSON form, such as an unknown
	 * {@code $type} or bad {@code $binary} data
	 */
	public @Nullable Object fromJson(JsonNode node) {
		return this.decoder.decode(node);
	}

	/**
	 * Encode a value as a JSON tree of its EJSON form.
	 * @param value the value: an EJSON value or anything the mapper can serialize
	 * @return the tree
	 */
	public JsonNode toJson(@Nullable Object value) {
		if (value == null) {
			return JsonNodeFactory.instance.nullNode();
		}
		return unwrap(() -> this.mapper.valueToTree(value));
	}

	/**
	 * Bind a JSON tree to a Java type, decoding EJSON forms on the way.
	 * @param <T> the target type
	 * @param node the tree
	 * @param type the target type
	 * @return the value, {@code null} for a JSON {@code null}
	 * @throws EjsonException if an EJSON form cannot be decoded
	 * @throws JacksonException if the tree does not fit the type
	 */
	public <T> @Nullable T convert(JsonNode node, Class<T> type) {
		return unwrap(() -> this.mapper.treeToValue(node, type));
	}

	/**
	 * Bind a JSON tree to a Java type, decoding EJSON forms on the way.
	 * @param <T> the target type
	 * @param node the tree
	 * @param type the target type, for example from {@code mapper().getTypeFactory()}
	 * @return the value, {@code null} for a JSON {@code null}
	 * @throws EjsonException if an EJSON form cannot be decoded
	 * @throws JacksonException if the tree does not fit the type
	 */
	public <T> @Nullable T convert(JsonNode node, JavaType type) {
		return unwrap(() -> this.mapper.treeToValue(node, type));
	}

	/**
	 * Parse EJSON text into EJSON values.
	 * @param ejsonText the text
	 * @return the EJSON value
	 * @throws EjsonException if the text holds an invalid EJSON form
	 * @throws JacksonException if the text is not JSON
	 */
	public @Nullable Object parse(String ejsonText) {
		return unwrap(() -> this.mapper.readValue(ejsonText, Object.class));
	}

	/**
	 * Check that a JSON tree decodes, without building its EJSON values: this throws
	 * exactly when {@link #fromJson(JsonNode)} would. Only custom types are decoded, as
	 * their factories may reject a value.
	 * @param node the tree
	 * @throws EjsonException if decoding would fail
	 */
	public void validate(JsonNode node) {
		this.decoder.validate(node);
	}

	/**
	 * Write a value as compact EJSON text.
	 * @param value the value
	 * @return the text
	 */
	public String stringify(@Nullable Object value) {
		return unwrap(() -> this.mapper.writeValueAsString(value));
	}

	/**
	 * Write a value as compact EJSON text, optionally in canonical form: object keys
	 * sorted at every level (EJSON forms included), arrays in their order.
	 * @param value the value
	 * @param canonical whether to sort object keys
	 * @return the text
	 */
	public String stringify(@Nullable Object value, boolean canonical) {
		if (!canonical) {
			return stringify(value);
		}
		JsonNode sorted = sortKeys(toJson(value));
		return unwrap(() -> this.mapper.writeValueAsString(sorted));
	}

	private static JsonNode sortKeys(JsonNode node) {
		if (node.isObject()) {
			List<String> names = new ArrayList<>(node.propertyNames());
			names.sort(null);
			ObjectNode sorted = JsonNodeFactory.instance.objectNode();
			for (String name : names) {
				sorted.set(name, sortKeys(node.get(name)));
			}
			return sorted;
		}
		if (node.isArray()) {
			ArrayNode sorted = JsonNodeFactory.instance.arrayNode(node.size());
			for (JsonNode element : node) {
				sorted.add(sortKeys(element));
			}
			return sorted;
		}
		return node;
	}

	/**
	 * EJSON equality ({@code EJSON.equals}) of two EJSON values. Numbers are equal when
	 * their values are ({@code 1} equals {@code 1.0}) and {@code NaN} equals {@code NaN};
	 * dates ({@link Instant} or {@link Date}) compare by epoch millisecond; binaries byte
	 * by byte; regular expressions ({@link EjsonRegExp} or {@link Pattern}) by source and
	 * flags; maps by key set and values, ignoring key order, so {@code {a: null}} differs
	 * from {@code {}}; lists element-wise. {@link JsonNode}s are decoded first. Other
	 * objects use {@link Object#equals(Object)}.
	 * @param a the first value
	 * @param b the second value
	 * @return whether the values are EJSON-equal
	 */
	public static boolean equals(@Nullable Object a, @Nullable Object b) {
		if (a == b) {
			return true;
		}
		if (a instanceof JsonNode node) {
			a = decodeForComparison(node);
		}
		if (b instanceof JsonNode node) {
			b = decodeForComparison(node);
		}
		if (a == null || b == null) {
			return a == b;
		}
		if (a instanceof String || b instanceof String || a instanceof Boolean || b instanceof Boolean) {
			return a.equals(b);
		}
		if (a instanceof Number numberA && b instanceof Number numberB) {
			return numbersEqual(numberA, numberB);
		}
		if (isDate(a) && isDate(b)) {
			return datesEqual(a, b);
		}
		if (a instanceof byte[] bytesA && b instanceof byte[] bytesB) {
			return Arrays.equals(bytesA, bytesB);
		}
		if (isRegExp(a) && isRegExp(b)) {
			return toRegExp(a).equals(toRegExp(b));
		}
		if (a instanceof Map<?, ?> mapA && b instanceof Map<?, ?> mapB) {
			return mapsEqual(mapA, mapB);
		}
		List<?> listA = asList(a);
		List<?> listB = asList(b);
		if (listA != null && listB != null) {
			return listsEqual(listA, listB);
		}
		return a.equals(b);
	}

	private static @Nullable Object decodeForComparison(JsonNode node) {
		try {
			return DefaultDecoder.INSTANCE.decode(node);
		}
		catch (EjsonException ex) {
			// An unknown custom type: compare the plain JSON
			return EjsonDecoder.raw(node);
		}
	}

	private static boolean numbersEqual(Number a, Number b) {
		if (JsNumbers.isIntegral(a) && JsNumbers.isIntegral(b)) {
			return a.longValue() == b.longValue();
		}
		double x = a.doubleValue();
		double y = b.doubleValue();
		if (isFloatingPoint(a) && isFloatingPoint(b)) {
			return x == y || (Double.isNaN(x) && Double.isNaN(y));
		}
		if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
			return x == y || (Double.isNaN(x) && Double.isNaN(y));
		}
		BigDecimal exactA = toBigDecimal(a);
		BigDecimal exactB = toBigDecimal(b);
		if (exactA == null || exactB == null) {
			return x == y;
		}
		return exactA.compareTo(exactB) == 0;
	}

	private static boolean isFloatingPoint(Number number) {
		return number instanceof Double || number instanceof Float;
	}

	private static @Nullable BigDecimal toBigDecimal(Number number) {
		if (number instanceof BigDecimal decimal) {
			return decimal;
		}
		if (number instanceof BigInteger integer) {
			return new BigDecimal(integer);
		}
		if (JsNumbers.isIntegral(number)) {
			return BigDecimal.valueOf(number.longValue());
		}
		if (isFloatingPoint(number)) {
			return new BigDecimal(number.doubleValue());
		}
		try {
			return new BigDecimal(number.toString());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static boolean isDate(Object value) {
		return value instanceof Instant || value instanceof Date;
	}

	private static boolean datesEqual(Object a, Object b) {
		Instant instantA = (a instanceof Date date) ? date.toInstant() : (Instant) a;
		Instant instantB = (b instanceof Date date) ? date.toInstant() : (Instant) b;
		try {
			return instantA.toEpochMilli() == instantB.toEpochMilli();
		}
		catch (ArithmeticException ex) {
			return instantA.equals(instantB);
		}
	}

	private static boolean isRegExp(Object value) {
		return value instanceof EjsonRegExp || value instanceof Pattern;
	}

	private static EjsonRegExp toRegExp(Object value) {
		return (value instanceof Pattern pattern) ? EjsonRegExp.of(pattern) : (EjsonRegExp) value;
	}

	private static boolean mapsEqual(Map<?, ?> a, Map<?, ?> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (Map.Entry<?, ?> entry : a.entrySet()) {
			Object valueB = b.get(entry.getKey());
			if (valueB == null && !b.containsKey(entry.getKey())) {
				return false;
			}
			if (!equals(entry.getValue(), valueB)) {
				return false;
			}
		}
		return true;
	}

	private static @Nullable List<?> asList(Object value) {
		if (value instanceof List<?> list) {
			return list;
		}
		return (value instanceof Object[] array) ? Arrays.asList(array) : null;
	}

	private static boolean listsEqual(List<?> a, List<?> b) {
		int size = a.size();
		if (size != b.size()) {
			return false;
		}
		for (int i = 0; i < size; i++) {
			if (!equals(a.get(i), b.get(i))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Deep copy of an EJSON value ({@code EJSON.clone}): maps (as ordered
	 * {@link LinkedHashMap}s), lists (as {@link ArrayList}s), sets, arrays,
	 * {@code byte[]}, {@link Date}s and {@link JsonNode}s are copied; immutable values
	 * such as strings, numbers, {@link Instant}s, {@link EjsonRegExp}s and records are
	 * shared.
	 * @param value the value
	 * @return the copy
	 */
	public static @Nullable Object clone(@Nullable Object value) {
		if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
				|| value instanceof Instant) {
			return value;
		}
		if (value instanceof Map<?, ?> map) {
			Map<Object, @Nullable Object> copy = new LinkedHashMap<>(EjsonDecoder.capacity(map.size()));
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				copy.put(entry.getKey(), clone(entry.getValue()));
			}
			return copy;
		}
		if (value instanceof Collection<?> collection && (value instanceof List || value instanceof Set)) {
			Collection<@Nullable Object> copy = (value instanceof Set) ? new LinkedHashSet<>(collection.size())
					: new ArrayList<>(collection.size());
			for (Object element : collection) {
				copy.add(clone(element));
			}
			return copy;
		}
		if (value instanceof byte[] bytes) {
			return bytes.clone();
		}
		if (value instanceof Object[] array) {
			@Nullable Object[] copy = array.clone();
			for (int i = 0; i < copy.length; i++) {
				copy[i] = clone(copy[i]);
			}
			return copy;
		}
		if (value instanceof Date date) {
			return date.clone();
		}
		if (value instanceof JsonNode node) {
			return node.deepCopy();
		}
		return value;
	}

	private static <T> T unwrap(JacksonCall<T> call) {
		try {
			return call.call();
		}
		catch (JacksonException ex) {
			// Jackson wraps failures inside beans and maps; surface the EJSON cause
			for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
				if (cause instanceof EjsonException ejsonException) {
					throw new EjsonException(Objects.requireNonNullElse(ejsonException.getMessage(), ex.getMessage()),
							ex);
				}
			}
			throw ex;
		}
	}

	@FunctionalInterface
	private interface JacksonCall<T> {

		T call();

	}

	/**
	 * Decoder with the default types, for comparing trees without an instance.
	 */
	private static final class DefaultDecoder {

		static final EjsonDecoder INSTANCE = new EjsonDecoder(EjsonTypeRegistry.withDefaults());

	}

}
