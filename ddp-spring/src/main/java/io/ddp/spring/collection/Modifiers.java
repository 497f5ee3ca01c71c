package io.ddp.spring.collection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.JsNumbers;
import org.jspecify.annotations.Nullable;

/**
 * Applies Mongo update modifiers to a document's fields, as Meteor 1.9's Minimongo does:
 * {@code $set}, {@code $unset}, {@code $inc}, {@code $min} and {@code $max} (numbers),
 * {@code $currentDate}, {@code $rename}, {@code $push} (with {@code $each},
 * {@code $position}, {@code $sort} and {@code $slice}, see {@link PushEach}),
 * {@code $addToSet} (with {@code $each}), {@code $pull} (a value, or a condition as
 * MongoDB reads it, see {@link PullCondition}), {@code $pullAll}, {@code $pushAll},
 * {@code $pop}, and {@code $setOnInsert} (nothing on an update), on dotted paths through
 * maps and lists. An update without operators replaces the fields. Values are compared
 * with EJSON equality.
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
			case "$min", "$max" -> minMax(fields, path, operator, argument);
			case "$currentDate" -> currentDate(fields, path, argument);
			case "$setOnInsert" -> {
				// Only an upsert that inserts sets these
			}
			case "$rename" -> rename(fields, path, argument);
			case "$push" -> {
				if (argument instanceof Map<?, ?> map && map.get("$each") != null) {
					Target target = created(fields, path);
					List<@Nullable Object> list = existingList(target, "$push");
					target.set(PushEach.parse(map).applyTo(list));
				}
				else {
					push(fields, path, "$push", Collections.<@Nullable Object>singletonList(argument), false);
				}
			}
			case "$pushAll" -> push(fields, path, "$push", arrayArgument(argument), false);
			case "$addToSet" -> push(fields, path, "$addToSet", each(argument, "$addToSet"), true);
			case "$pull" -> pull(fields, path, PullCondition.of(argument));
			case "$pullAll" -> {
				List<@Nullable Object> values = arrayArgument(argument);
				pull(fields, path, (element) -> values.stream().anyMatch((value) -> Ejson.equals(element, value)));
			}
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
		List<@Nullable Object> list = existingList(target, operator);
		target.set(list);
		for (Object value : values) {
			if (!distinct || list.stream().noneMatch((element) -> Ejson.equals(element, value))) {
				list.add(Ejson.clone(value));
			}
		}
	}

	// The list a push adds to: a new one where there is none
	private static List<@Nullable Object> existingList(Target target, String operator) {
		if (!target.exists()) {
			return new ArrayList<>();
		}
		if (target.get() instanceof List<?> existing) {
			return mutableList(existing);
		}
		throw new ModifierException("Cannot apply " + operator + " modifier to non-array");
	}

	private static void pull(Map<String, @Nullable Object> fields, String[] path, Predicate<@Nullable Object> removed) {
		Target target = target(fields, path, false);
		if (target == null || !target.exists()) {
			return;
		}
		if (!(target.get() instanceof List<?> existing)) {
			throw new ModifierException("Cannot apply $pull/pullAll modifier to non-array");
		}
		List<@Nullable Object> list = mutableList(existing);
		list.removeIf(removed);
		target.set(list);
	}

	// Numbers only, as in Minimongo
	private static void minMax(Map<String, @Nullable Object> fields, String[] path, String operator,
			@Nullable Object argument) {
		if (!(argument instanceof Number bound)) {
			throw new ModifierException("Modifier " + operator + " allowed for numbers only");
		}
		Target target = created(fields, path);
		if (!target.exists()) {
			target.set(argument);
			return;
		}
		if (!(target.get() instanceof Number current)) {
			throw new ModifierException("Cannot apply " + operator + " modifier to non-number");
		}
		int comparison = Double.compare(current.doubleValue(), bound.doubleValue());
		if (operator.equals("$min") ? comparison > 0 : comparison < 0) {
			target.set(argument);
		}
	}

	private static void currentDate(Map<String, @Nullable Object> fields, String[] path, @Nullable Object argument) {
		if (argument instanceof Map<?, ?> spec && spec.containsKey("$type")) {
			if (!"date".equals(spec.get("$type"))) {
				throw new ModifierException(
						"Minimongo does currently only support the date type in $currentDate modifiers");
			}
		}
		else if (!Boolean.TRUE.equals(argument)) {
			throw new ModifierException("Invalid $currentDate modifier");
		}
		// EJSON dates have millisecond precision
		created(fields, path).set(Instant.ofEpochMilli(System.currentTimeMillis()));
	}

	private static void rename(Map<String, @Nullable Object> fields, String[] path, @Nullable Object argument) {
		if (String.join(".", path).equals(argument)) {
			throw new ModifierException("$rename source must differ from target");
		}
		if (!(argument instanceof String to)) {
			throw new ModifierException("$rename target must be a string");
		}
		if (to.indexOf('\0') >= 0) {
			throw new ModifierException("The 'to' field for $rename cannot contain an embedded null byte");
		}
		if (throughList(fields, path)) {
			throw new ModifierException("$rename source field invalid");
		}
		Target source = target(fields, path, false);
		if (source == null || !source.exists()) {
			return;
		}
		String[] destinationPath = checkedPath(to, DocumentCodec.ID);
		if (throughList(fields, destinationPath)) {
			throw new ModifierException("$rename target field invalid");
		}
		Object value = source.get();
		source.unset();
		created(fields, destinationPath).set(value);
	}

	// Whether a path meets a list before its last part: $rename moves fields of
	// documents only
	private static boolean throughList(Map<String, @Nullable Object> fields, String[] path) {
		Object current = fields;
		for (int i = 0; i < path.length; i++) {
			if (current instanceof List<?>) {
				return true;
			}
			if (!(current instanceof Map<?, ?> map) || i == path.length - 1) {
				return false;
			}
			current = map.get(path[i]);
		}
		return false;
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
