package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.JsNumbers;
import org.jspecify.annotations.Nullable;

/**
 * Applies Mongo update modifiers to a document's fields, as Minimongo does: {@code $set},
 * {@code $unset}, {@code $inc}, {@code $push} and {@code $addToSet} (with {@code $each}),
 * {@code $pull} (equal values, or sub-documents whose given fields are equal),
 * {@code $pullAll}, {@code $pushAll} and {@code $pop}, on dotted paths through maps and
 * lists. An update without operators replaces the fields. Values are compared with EJSON
 * equality.
 */
final class Modifiers {

	private Modifiers() {
	}

	/**
	 * Whether the update uses operators rather than replacing the document.
	 * @throws ModifierException if it mixes both
	 */
	static boolean isModifier(Map<String, ? extends @Nullable Object> update) {
		boolean operators = false;
		boolean fields = false;
		for (String key : update.keySet()) {
			if (key.startsWith("$")) {
				operators = true;
			}
			else {
				fields = true;
			}
		}
		if (operators && fields) {
			throw new ModifierException("Update parameter cannot have both modifier and non-modifier fields.");
		}
		return operators;
	}

	/**
	 * Return the top-level fields a modifier changes, in order (Meteor's
	 * {@code fieldNames} for update rules: a dotted path counts as its first part).
	 */
	static List<String> modifiedFields(Map<String, @Nullable Object> modifier) {
		Set<String> fields = new LinkedHashSet<>();
		for (Object operand : modifier.values()) {
			if (operand instanceof Map<?, ?> map) {
				for (Object path : map.keySet()) {
					String field = String.valueOf(path);
					int dot = field.indexOf('.');
					fields.add((dot >= 0) ? field.substring(0, dot) : field);
				}
			}
		}
		return List.copyOf(fields);
	}

	/**
	 * Apply an update to fields (the document without its id), in place.
	 * @param fields mutable fields, with mutable nested maps and lists
	 * @param update the modifier or replacement
	 * @param idProperty the name the document type gives its id, which must not change
	 * @throws ModifierException if the update cannot be applied; the fields may then be
	 * partly changed
	 */
	static void apply(Map<String, @Nullable Object> fields, Map<String, ? extends @Nullable Object> update,
			String idProperty) {
		if (!isModifier(update)) {
			replace(fields, update, idProperty);
			return;
		}
		update.forEach((operator, operand) -> {
			if (!(operand instanceof Map<?, ?> arguments)) {
				throw new ModifierException("Modifier " + operator + "'s argument must be an object");
			}
			arguments.forEach((path, argument) -> apply(fields, operator, checkedPath(String.valueOf(path), idProperty),
					argument));
		});
	}

	private static void replace(Map<String, @Nullable Object> fields, Map<String, ? extends @Nullable Object> update,
			String idProperty) {
		fields.clear();
		update.forEach((key, value) -> {
			if (!key.equals(DocumentCodec.ID) && !key.equals(idProperty)) {
				fields.put(key, Ejson.clone(value));
			}
		});
	}

	private static String[] checkedPath(String path, String idProperty) {
		String[] parts = path.split("\\.", -1);
		for (String part : parts) {
			if (part.isEmpty()) {
				throw new ModifierException(
						"The update path '" + path + "' contains an empty field name, which is not allowed.");
			}
		}
		if (parts[0].equals(DocumentCodec.ID) || parts[0].equals(idProperty)) {
			throw new ModifierException("Mod on _id not allowed");
		}
		return parts;
	}

	private static void apply(Map<String, @Nullable Object> fields, String operator, String[] path,
			@Nullable Object argument) {
		switch (operator) {
			case "$set" -> {
				created(fields, path).set(Ejson.clone(argument));
			}
			case "$unset" -> {
				Target target = target(fields, path, false);
				if (target != null) {
					target.unset();
				}
			}
			case "$inc" -> inc(fields, path, argument);
			case "$push" -> push(fields, path, "$push", each(argument, "$push"), false);
			case "$pushAll" -> push(fields, path, "$push", arrayArgument(argument), false);
			case "$addToSet" -> push(fields, path, "$addToSet", each(argument, "$addToSet"), true);
			case "$pull" -> pull(fields, path, "$pull", Collections.<@Nullable Object>singletonList(argument), true);
			case "$pullAll" -> pull(fields, path, "$pullAll", arrayArgument(argument), false);
			case "$pop" -> pop(fields, path, argument);
			case "$bit" -> throw new ModifierException("$bit is not supported");
			default -> throw new ModifierException("Invalid modifier specified " + operator);
		}
	}

	private static void inc(Map<String, @Nullable Object> fields, String[] path, @Nullable Object argument) {
		if (!(argument instanceof Number increment)) {
			throw new ModifierException("Modifier $inc allowed for numbers only");
		}
		Target target = created(fields, path);
		if (!target.exists()) {
			target.set(argument);
		}
		else if (target.get() instanceof Number current) {
			target.set(add(current, increment));
		}
		else {
			throw new ModifierException("Cannot apply $inc modifier to non-number");
		}
	}

	private static Number add(Number a, Number b) {
		if (JsNumbers.isIntegral(a) && JsNumbers.isIntegral(b)) {
			long x = a.longValue();
			long y = b.longValue();
			long sum = x + y;
			// On overflow JavaScript would carry on in doubles
			if (((x ^ sum) & (y ^ sum)) < 0) {
				return (double) x + (double) y;
			}
			return (sum == (int) sum) ? (Number) (int) sum : (Number) sum;
		}
		return a.doubleValue() + b.doubleValue();
	}

	private static List<@Nullable Object> each(@Nullable Object argument, String operator) {
		if (argument instanceof Map<?, ?> map && map.containsKey("$each")) {
			for (Object key : map.keySet()) {
				if (!"$each".equals(key)) {
					throw new ModifierException(operator + " with " + key + " is not supported");
				}
			}
			if (!(map.get("$each") instanceof List<?> values)) {
				throw new ModifierException("$each must be an array");
			}
			return new ArrayList<>(values);
		}
		List<@Nullable Object> values = new ArrayList<>(1);
		values.add(argument);
		return values;
	}

	private static List<@Nullable Object> arrayArgument(@Nullable Object argument) {
		if (!(argument instanceof List<?> values)) {
			throw new ModifierException("Modifier $pushAll/pullAll allowed for arrays only");
		}
		return new ArrayList<>(values);
	}

	private static void push(Map<String, @Nullable Object> fields, String[] path, String operator,
			List<@Nullable Object> values, boolean distinct) {
		Target target = created(fields, path);
		List<@Nullable Object> list;
		if (!target.exists()) {
			list = new ArrayList<>();
			target.set(list);
		}
		else if (target.get() instanceof List<?> existing) {
			list = mutableList(existing);
			target.set(list);
		}
		else {
			throw new ModifierException("Cannot apply " + operator + " modifier to non-array");
		}
		for (Object value : values) {
			if (!distinct || list.stream().noneMatch((element) -> Ejson.equals(element, value))) {
				list.add(Ejson.clone(value));
			}
		}
	}

	private static void pull(Map<String, @Nullable Object> fields, String[] path, String operator,
			List<@Nullable Object> values, boolean query) {
		Target target = target(fields, path, false);
		if (target == null || !target.exists()) {
			return;
		}
		if (!(target.get() instanceof List<?> existing)) {
			throw new ModifierException("Cannot apply $pull/pullAll modifier to non-array");
		}
		List<@Nullable Object> list = mutableList(existing);
		list.removeIf((element) -> values.stream()
			.anyMatch((value) -> query ? pullMatches(element, value, operator) : Ejson.equals(element, value)));
		target.set(list);
	}

	/**
	 * Minimongo matches {@code $pull}'s argument as a selector when it is a document: an
	 * element matches when each of the argument's fields is equal. Query operators are
	 * not supported.
	 */
	private static boolean pullMatches(@Nullable Object element, @Nullable Object value, String operator) {
		if (!(value instanceof Map<?, ?> selector)) {
			return Ejson.equals(element, value);
		}
		for (Object key : selector.keySet()) {
			if (String.valueOf(key).startsWith("$")) {
				throw new ModifierException(operator + " with the query operator " + key + " is not supported");
			}
		}
		if (!(element instanceof Map<?, ?> document)) {
			return false;
		}
		for (Map.Entry<?, ?> entry : selector.entrySet()) {
			if (!document.containsKey(entry.getKey())
					|| !Ejson.equals(document.get(entry.getKey()), entry.getValue())) {
				return false;
			}
		}
		return true;
	}

	private static void pop(Map<String, @Nullable Object> fields, String[] path, @Nullable Object argument) {
		Target target = target(fields, path, false);
		if (target == null || !target.exists()) {
			return;
		}
		if (!(target.get() instanceof List<?> existing)) {
			throw new ModifierException("Cannot apply $pop modifier to non-array");
		}
		List<@Nullable Object> list = mutableList(existing);
		if (!list.isEmpty()) {
			list.remove((argument instanceof Number number && number.doubleValue() < 0) ? 0 : list.size() - 1);
		}
		target.set(list);
	}

	@SuppressWarnings("unchecked")
	private static List<@Nullable Object> mutableList(List<?> list) {
		return (list instanceof ArrayList<?>) ? (List<@Nullable Object>) list : new ArrayList<>(list);
	}

	private static Target created(Map<String, @Nullable Object> fields, String[] path) {
		Target target = target(fields, path, true);
		if (target == null) {
			throw new IllegalStateException("A created path has a target");
		}
		return target;
	}

	/**
	 * Find where a path ends: the map or list holding its last part. With {@code create}
	 * missing maps on the way are made; without, {@code null} is returned for a path that
	 * does not exist.
	 */
	@SuppressWarnings("unchecked")
	private static @Nullable Target target(Map<String, @Nullable Object> fields, String[] path, boolean create) {
		Object current = fields;
		String dotted = String.join(".", path);
		for (int i = 0; i < path.length - 1; i++) {
			String part = path[i];
			Object next;
			if (current instanceof Map<?, ?> map) {
				Map<String, @Nullable Object> container = (Map<String, @Nullable Object>) map;
				next = container.get(part);
				if (next == null) {
					if (!create) {
						return null;
					}
					if (container.containsKey(part)) {
						throw new ModifierException(
								"Cannot create field '" + path[i + 1] + "' in element {" + part + ": null}");
					}
					next = new LinkedHashMap<String, @Nullable Object>();
					container.put(part, next);
				}
			}
			else if (current instanceof List<?> list) {
				int index = index(part);
				if (index < 0) {
					if (!create) {
						return null;
					}
					throw new ModifierException(
							"cannot use the part (" + part + " of " + dotted + ") to traverse the element");
				}
				List<@Nullable Object> container = (List<@Nullable Object>) list;
				next = (index < container.size()) ? container.get(index) : null;
				if (next == null) {
					if (!create) {
						return null;
					}
					next = new LinkedHashMap<String, @Nullable Object>();
					setAt(container, index, next);
				}
			}
			else {
				if (!create) {
					return null;
				}
				throw new ModifierException(
						"cannot use the part (" + part + " of " + dotted + ") to traverse the element");
			}
			current = next;
		}
		String last = path[path.length - 1];
		if (current instanceof List<?> list) {
			int index = index(last);
			if (index < 0) {
				if (!create) {
					return null;
				}
				throw new ModifierException("can't append to array using string field name [" + last + "]");
			}
			return new ListTarget((List<@Nullable Object>) list, index);
		}
		if (!(current instanceof Map<?, ?>)) {
			throw new ModifierException("cannot use the part (" + last + " of " + dotted + ") to traverse the element");
		}
		return new MapTarget((Map<String, @Nullable Object>) current, last);
	}

	private static int index(String part) {
		if (part.isEmpty() || part.length() > 9) {
			return -1;
		}
		for (int i = 0; i < part.length(); i++) {
			if (!Character.isDigit(part.charAt(i))) {
				return -1;
			}
		}
		return Integer.parseInt(part);
	}

	private static void setAt(List<@Nullable Object> list, int index, @Nullable Object value) {
		while (list.size() <= index) {
			list.add(null);
		}
		list.set(index, value);
	}

	/**
	 * The last part of a path, in the map or list that holds it.
	 */
	private interface Target {

		boolean exists();

		@Nullable Object get();

		void set(@Nullable Object value);

		void unset();

	}

	private record MapTarget(Map<String, @Nullable Object> map, String key) implements Target {

		@Override
		public boolean exists() {
			return this.map.containsKey(this.key);
		}

		@Override
		public @Nullable Object get() {
			return this.map.get(this.key);
		}

		@Override
		public void set(@Nullable Object value) {
			this.map.put(this.key, value);
		}

		@Override
		public void unset() {
			this.map.remove(this.key);
		}

	}

	private record ListTarget(List<@Nullable Object> list, int index) implements Target {

		@Override
		public boolean exists() {
			return this.index < this.list.size();
		}

		@Override
		public @Nullable Object get() {
			return exists() ? this.list.get(this.index) : null;
		}

		@Override
		public void set(@Nullable Object value) {
			setAt(this.list, this.index, value);
		}

		@Override
		public void unset() {
			// Mongo keeps the positions of the other elements
			if (exists()) {
				this.list.set(this.index, null);
			}
		}

	}

}
