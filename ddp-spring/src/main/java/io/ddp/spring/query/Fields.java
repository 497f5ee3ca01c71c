package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which fields of its documents a query returns, as Meteor's {@code fields} option: all,
 * only some ({@code {a: 1, "b.c": 1}}) or all but some ({@code {a: 0}}), on top-level or
 * dotted paths. A dotted path applies to every element of a list it crosses. {@code _id}
 * is the document id, always returned, never listed. Immutable, with structural equality.
 *
 * @param inclusive whether {@code paths} lists what to keep rather than what to drop
 * @param paths the dotted paths
 * @since 0.2.0
 */
public record Fields(boolean inclusive, Set<String> paths) {

	/**
	 * Every field.
	 */
	public static final Fields ALL = new Fields(false, Set.of());

	/**
	 * Create a projection.
	 * @param inclusive whether the paths are the fields to keep
	 * @param paths the dotted paths; {@code _id} is ignored
	 */
	public Fields {
		Set<String> copy = new LinkedHashSet<>(paths);
		copy.remove("_id");
		for (String path : copy) {
			if (path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
				throw new IllegalArgumentException("Invalid field path in projection: '" + path + "'");
			}
		}
		paths = Set.copyOf(copy);
	}

	/**
	 * Return a projection keeping only the given fields (and the id).
	 * @param paths the dotted paths
	 * @return the projection
	 */
	public static Fields include(String... paths) {
		return new Fields(true, Set.of(paths));
	}

	/**
	 * Return a projection dropping the given fields.
	 * @param paths the dotted paths
	 * @return the projection
	 */
	public static Fields exclude(String... paths) {
		return new Fields(false, Set.of(paths));
	}

	/**
	 * Parse Meteor's {@code fields} option: a map of paths to {@code 1}/{@code true}
	 * (include) or {@code 0}/{@code false} (exclude); {@code _id: 0} is accepted and
	 * ignored, as the id is always sent.
	 * @param specifier the specifier, {@code null} for every field
	 * @return the projection
	 * @throws IllegalArgumentException if inclusion and exclusion are mixed
	 */
	public static Fields parse(@Nullable Map<String, ?> specifier) {
		if (specifier == null || specifier.isEmpty()) {
			return ALL;
		}
		Set<String> included = new LinkedHashSet<>();
		Set<String> excluded = new LinkedHashSet<>();
		specifier.forEach((path, value) -> {
			boolean include = (value instanceof Boolean bool) ? bool
					: (value instanceof Number number) && number.doubleValue() != 0;
			if (!(value instanceof Boolean) && !(value instanceof Number)) {
				throw new IllegalArgumentException("Bad projection for '" + path + "': " + value);
			}
			(include ? included : excluded).add(path);
		});
		boolean onlyId = included.size() == 1 && included.contains("_id") && excluded.isEmpty();
		included.remove("_id");
		excluded.remove("_id");
		if (!included.isEmpty() && !excluded.isEmpty()) {
			throw new IllegalArgumentException("You cannot currently mix including and excluding fields.");
		}
		return (included.isEmpty() && !onlyId) ? new Fields(false, excluded) : new Fields(true, included);
	}

	/**
	 * Return this projection also keeping the given fields.
	 * @param more the dotted paths
	 * @return the projection
	 * @throws IllegalStateException if this projection excludes fields
	 */
	public Fields andInclude(String... more) {
		if (!this.inclusive && !this.paths.isEmpty()) {
			throw new IllegalStateException("Cannot mix included and excluded fields in one projection");
		}
		return new Fields(true, union(more));
	}

	/**
	 * Return this projection also dropping the given fields.
	 * @param more the dotted paths
	 * @return the projection
	 * @throws IllegalStateException if this projection includes fields
	 */
	public Fields andExclude(String... more) {
		if (this.inclusive) {
			throw new IllegalStateException("Cannot mix included and excluded fields in one projection");
		}
		return new Fields(false, union(more));
	}

	private Set<String> union(String... more) {
		Set<String> union = new LinkedHashSet<>(this.paths);
		union.addAll(Arrays.asList(more));
		return union;
	}

	/**
	 * Whether this projection keeps every field.
	 * @return whether it is {@link #ALL}
	 */
	public boolean isAll() {
		return !this.inclusive && this.paths.isEmpty();
	}

	/**
	 * Whether every path is a top-level field.
	 * @return whether no path is dotted
	 */
	public boolean isTopLevel() {
		for (String path : this.paths) {
			if (path.indexOf('.') >= 0) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a top-level field is kept whole, for a projection that {@link #isTopLevel()
	 * is top-level}.
	 * @param field the field name
	 * @return whether the field is kept
	 */
	public boolean keeps(String field) {
		return this.paths.contains(field) == this.inclusive;
	}

	/**
	 * Apply this projection to a document's fields.
	 * @param fields the fields, left unchanged
	 * @return a new map of the kept fields
	 */
	public Map<String, @Nullable Object> apply(Map<String, ? extends @Nullable Object> fields) {
		if (this.inclusive) {
			Map<String, @Nullable Object> result = new LinkedHashMap<>();
			for (String path : this.paths) {
				include(fields, result, Values.split(path), 0);
			}
			if (fields.containsKey("_id")) {
				result.put("_id", fields.get("_id"));
			}
			return result;
		}
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> result = (Map<String, @Nullable Object>) Objects.requireNonNull(copy(fields));
		for (String path : this.paths) {
			exclude(result, Values.split(path), 0);
		}
		return result;
	}

	@SuppressWarnings("unchecked")
	private static void include(Map<?, ?> source, Map<String, @Nullable Object> target, String[] segments, int index) {
		String segment = segments[index];
		if (!source.containsKey(segment)) {
			return;
		}
		Object value = source.get(segment);
		if (index == segments.length - 1) {
			target.put(segment, copy(value));
			return;
		}
		if (value instanceof Map<?, ?> map) {
			Object existing = target.get(segment);
			Map<String, @Nullable Object> child = (existing instanceof Map<?, ?>)
					? (Map<String, @Nullable Object>) existing : new LinkedHashMap<>();
			include(map, child, segments, index + 1);
			target.put(segment, child);
		}
		else if (value instanceof List<?> list) {
			Object existing = target.get(segment);
			List<@Nullable Object> elements = (existing instanceof List<?>) ? (List<@Nullable Object>) existing : null;
			List<@Nullable Object> result = new ArrayList<>(list.size());
			int position = 0;
			for (Object element : list) {
				if (element instanceof Map<?, ?> map) {
					Object previous = (elements != null && position < elements.size()) ? elements.get(position) : null;
					Map<String, @Nullable Object> child = (previous instanceof Map<?, ?>)
							? (Map<String, @Nullable Object>) previous : new LinkedHashMap<>();
					include(map, child, segments, index + 1);
					result.add(child);
					position++;
				}
			}
			target.put(segment, result);
		}
	}

	@SuppressWarnings("unchecked")
	private static void exclude(Map<String, @Nullable Object> target, String[] segments, int index) {
		String segment = segments[index];
		if (index == segments.length - 1) {
			target.remove(segment);
			return;
		}
		Object value = target.get(segment);
		if (value instanceof Map<?, ?> map) {
			exclude((Map<String, @Nullable Object>) map, segments, index + 1);
		}
		else if (value instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof Map<?, ?> map) {
					exclude((Map<String, @Nullable Object>) map, segments, index + 1);
				}
			}
		}
	}

	private static @Nullable Object copy(@Nullable Object value) {
		if (value instanceof Map<?, ?> map) {
			Map<String, @Nullable Object> copy = new LinkedHashMap<>();
			map.forEach((key, element) -> copy.put(String.valueOf(key), copy(element)));
			return copy;
		}
		if (value instanceof Collection<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			for (Object element : list) {
				copy.add(copy(element));
			}
			return copy;
		}
		return value;
	}

	@Override
	public String toString() {
		return "Fields[" + (this.inclusive ? "include " : "exclude ") + this.paths + "]";
	}

}
