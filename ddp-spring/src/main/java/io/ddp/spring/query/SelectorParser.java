package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.JsTruthiness;
import io.ddp.spring.query.Selector.Field;
import io.ddp.spring.query.Selector.Operator;
import org.jspecify.annotations.Nullable;

/**
 * Reads Meteor's JSON selectors into {@link Selector} trees, with Minimongo's error
 * messages where it has them.
 */
final class SelectorParser {

	// Mongo operators this subset does not evaluate: named, rather than "unrecognized"
	private static final Set<String> UNSUPPORTED = Set.of("$bitsAllSet", "$bitsAnySet", "$bitsAllClear",
			"$bitsAnyClear", "$near", "$geoWithin", "$maxDistance");

	private static final Set<String> LOGICAL = Set.of("$and", "$or", "$nor");

	private SelectorParser() {
	}

	static Selector parse(@Nullable Object selector) {
		if (selector == null || Boolean.FALSE.equals(selector)) {
			return Selector.NONE;
		}
		if (selector instanceof String id) {
			return id.isEmpty() ? Selector.NONE : Selector.id(id);
		}
		if (!(selector instanceof Map<?, ?> map)) {
			throw new IllegalArgumentException("Invalid selector: " + describe(selector));
		}
		if (map.containsKey("_id") && !JsTruthiness.isTruthy(map.get("_id"))) {
			return Selector.NONE;
		}
		return document(map);
	}

	private static Selector document(Map<?, ?> map) {
		List<Selector> parts = new ArrayList<>(map.size());
		map.forEach((key, value) -> {
			String name = String.valueOf(key);
			if (name.startsWith("$")) {
				parts.add(logical(name, value));
			}
			else {
				parts.add(field(name, value));
			}
		});
		return Selector.and(parts);
	}

	private static Selector logical(String operator, @Nullable Object operand) {
		switch (operator) {
			case "$and", "$or", "$nor" -> {
				if (!(operand instanceof List<?> list) || list.isEmpty()) {
					throw new IllegalArgumentException("$and/$or/$nor must be nonempty array");
				}
				List<Selector> children = new ArrayList<>(list.size());
				for (Object element : list) {
					if (!(element instanceof Map<?, ?> map)) {
						throw new IllegalArgumentException("$or/$and/$nor entries need to be full objects");
					}
					children.add(document(map));
				}
				return switch (operator) {
					case "$and" -> Selector.and(children);
					case "$or" -> Selector.or(children);
					default -> new Selector.Nor(children);
				};
			}
			case "$comment" -> {
				return Selector.ALL;
			}
			case "$where", "$text", "$expr", "$jsonSchema" -> throw new IllegalArgumentException(
					"Unsupported logical operator: " + operator + " (selectors are data, evaluated in every store)");
			default -> throw new IllegalArgumentException("Unrecognized logical operator: " + operator);
		}
	}

	private static Selector field(String path, @Nullable Object value) {
		if (path.isEmpty()) {
			throw new IllegalArgumentException("A selector's field path must not be empty");
		}
		if (value instanceof Map<?, ?> map && isOperatorObject(map)) {
			return operators(path, map);
		}
		return new Field(path, Operator.EQ, value);
	}

	private static boolean isOperatorObject(Map<?, ?> map) {
		if (map.isEmpty() || Values.isEjsonObject(map)) {
			return false;
		}
		boolean operators = false;
		boolean fields = false;
		for (Object key : map.keySet()) {
			if (String.valueOf(key).startsWith("$")) {
				operators = true;
			}
			else {
				fields = true;
			}
		}
		if (operators && fields) {
			throw new IllegalArgumentException("Inconsistent operator: " + describe(map));
		}
		return operators;
	}

	private static Selector operators(String path, Map<?, ?> map) {
		List<Selector> parts = new ArrayList<>(map.size());
		map.forEach((key, operand) -> {
			String operator = String.valueOf(key);
			if (operator.equals("$regex")) {
				parts.add(new Field(path, Operator.REGEX,
						Regexes.of(operand, map.get("$options"), map.containsKey("$options"))));
			}
			else if (operator.equals("$options")) {
				if (!map.containsKey("$regex")) {
					throw new IllegalArgumentException("$options needs a $regex");
				}
			}
			else {
				parts.add(operator(path, operator, operand));
			}
		});
		return Selector.and(parts);
	}

	private static Selector operator(String path, String operator, @Nullable Object operand) {
		return switch (operator) {
			case "$eq" -> new Field(path, Operator.EQ, operand);
			case "$ne" -> Selector.not(new Field(path, Operator.EQ, operand));
			case "$gt" -> new Field(path, Operator.GT, operand);
			case "$gte" -> new Field(path, Operator.GTE, operand);
			case "$lt" -> new Field(path, Operator.LT, operand);
			case "$lte" -> new Field(path, Operator.LTE, operand);
			case "$in" -> new Field(path, Operator.IN, list("$in", operand));
			case "$nin" -> Selector.not(new Field(path, Operator.IN, list("$nin", operand)));
			case "$exists" -> JsTruthiness.isTruthy(operand) ? new Field(path, Operator.EXISTS, true)
					: Selector.not(new Field(path, Operator.EXISTS, true));
			case "$not" -> {
				if (Regexes.isRegExp(operand)) {
					yield Selector.not(new Field(path, Operator.REGEX, operand));
				}
				if (!(operand instanceof Map<?, ?> map) || map.isEmpty() || !isOperatorObject(map)) {
					throw new IllegalArgumentException("$not needs a regexp or a document");
				}
				yield Selector.not(operators(path, map));
			}
			case "$size" -> {
				if (operand instanceof String) {
					// What Mongo does, and Minimongo after it
					yield new Field(path, Operator.SIZE, 0L);
				}
				if (!(operand instanceof Number)) {
					throw new IllegalArgumentException("$size needs a number");
				}
				yield new Field(path, Operator.SIZE, operand);
			}
			case "$mod" -> new Field(path, Operator.MOD, operand);
			case "$type" -> new Field(path, Operator.TYPE, typeCode(operand));
			case "$all" -> all(path, operand);
			case "$elemMatch" -> elemMatch(path, operand);
			default -> {
				if (UNSUPPORTED.contains(operator)) {
					throw new IllegalArgumentException("Unsupported operator: " + operator);
				}
				throw new IllegalArgumentException("Unrecognized operator: " + operator);
			}
		};
	}

	// Every value present: a conjunction of equalities; an empty list matches nothing
	private static Selector all(String path, @Nullable Object operand) {
		if (!(operand instanceof List<?> values)) {
			throw new IllegalArgumentException("$all requires array");
		}
		if (values.isEmpty()) {
			return Selector.NONE;
		}
		List<Selector> parts = new ArrayList<>(values.size());
		for (Object value : values) {
			if (value instanceof Map<?, ?> map && isOperatorObject(map)) {
				throw new IllegalArgumentException("no $ expressions in $all");
			}
			parts.add(new Field(path, Operator.EQ, value));
		}
		return Selector.and(parts);
	}

	// A document selector, unless its keys other than $and, $or and $nor are all
	// operators
	// Meteor 1.9's codes and string aliases, and its messages
	private static final Map<String, Integer> TYPE_ALIASES = Map.ofEntries(Map.entry("double", 1),
			Map.entry("string", 2), Map.entry("object", 3), Map.entry("array", 4), Map.entry("binData", 5),
			Map.entry("undefined", 6), Map.entry("objectId", 7), Map.entry("bool", 8), Map.entry("date", 9),
			Map.entry("null", 10), Map.entry("regex", 11), Map.entry("dbPointer", 12), Map.entry("javascript", 13),
			Map.entry("symbol", 14), Map.entry("javascriptWithScope", 15), Map.entry("int", 16),
			Map.entry("timestamp", 17), Map.entry("long", 18), Map.entry("decimal", 19), Map.entry("minKey", -1),
			Map.entry("maxKey", 127));

	static Number typeCode(@Nullable Object operand) {
		if (operand instanceof String alias) {
			Integer code = TYPE_ALIASES.get(alias);
			if (code == null) {
				throw new IllegalArgumentException("unknown string alias for $type: " + alias);
			}
			return code;
		}
		if (!(operand instanceof Number number)) {
			throw new IllegalArgumentException("argument to $type is not a number or a string");
		}
		double code = number.doubleValue();
		// a code such as 1.5 passes, as in Meteor, and matches nothing
		if (code == 0 || code < -1 || code > 19 && code != 127) {
			String shown = (code == Math.rint(code) && Math.abs(code) < 1e15) ? Long.toString((long) code)
					: Double.toString(code);
			throw new IllegalArgumentException("Invalid numerical $type code: " + shown);
		}
		return number;
	}

	private static Selector elemMatch(String path, @Nullable Object operand) {
		if (!(operand instanceof Map<?, ?> map) || Values.isEjsonObject(map)) {
			throw new IllegalArgumentException("$elemMatch need an object");
		}
		boolean operators = false;
		boolean fields = false;
		for (Object key : map.keySet()) {
			String name = String.valueOf(key);
			if (LOGICAL.contains(name)) {
				continue;
			}
			operators |= name.startsWith("$");
			fields |= !name.startsWith("$");
		}
		if (operators && !fields) {
			return new Selector.ElemMatch(path, operators(Selector.ElemMatch.ELEMENT, map), true);
		}
		return new Selector.ElemMatch(path, document(map), false);
	}

	private static List<?> list(String operator, @Nullable Object operand) {
		if (!(operand instanceof List<?> list)) {
			throw new IllegalArgumentException(operator + " needs an array");
		}
		for (Object element : list) {
			if (element instanceof Map<?, ?> map && !map.isEmpty() && !Values.isEjsonObject(map)
					&& String.valueOf(map.keySet().iterator().next()).startsWith("$")) {
				throw new IllegalArgumentException("cannot nest $ under " + operator);
			}
		}
		return list;
	}

	private static String describe(@Nullable Object value) {
		try {
			return Ejson.createDefault().stringify(value);
		}
		catch (RuntimeException ex) {
			return String.valueOf(value);
		}
	}

}
