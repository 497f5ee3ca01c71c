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
	 * @param <M> the map type
	 * @param fields the fields, left unchanged
	 * @return a new map of the kept fields
	 */
	public <M extends Map<String, ?>> Map<String, @Nullable Object> apply(M fields) {
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> result = (Map<String, @Nullable Object>) Objects
			.requireNonNull(project(fields, ruleTree()));
		if (this.inclusive && fields.containsKey("_id")) {
			result.put("_id", fields.get("_id"));
		}
		return result;
	}

	// The paths as a tree: a key maps to TRUE for a whole field, or to the tree of its
	// sub-fields; a field kept or dropped whole covers its sub-fields
	private Map<String, Object> ruleTree() {
		Map<String, Object> tree = new LinkedHashMap<>();
		for (String path : this.paths) {
			Map<String, Object> node = tree;
			String[] segments = Values.split(path);
			for (int i = 0; i < segments.length; i++) {
				if (i == segments.length - 1) {
					node.put(segments[i], Boolean.TRUE);
					break;
				}
				Object child = node.computeIfAbsent(segments[i], (key) -> new LinkedHashMap<String, Object>());
				if (!(child instanceof Map<?, ?>)) {
					break;
				}
				@SuppressWarnings("unchecked")
				Map<String, Object> next = (Map<String, Object>) child;
				node = next;
			}
		}
		return tree;
	}

	/**
	 * Project a value as Minimongo's {@code _compileProjection} does: a list element by
	 * element, a document key by key; any other value is kept when excluding and becomes
	 * an empty document when including (Meteor's oplog driver publishes what this gives).
	 */
	@SuppressWarnings("unchecked")
	private @Nullable Object project(@Nullable Object value, Map<String, Object> tree) {
		if (value instanceof List<?> list) {
			List<@Nullable Object> result = new ArrayList<>(list.size());
			for (Object element : list) {
				result.add(project(element, tree));
			}
			return result;
		}
		if (!(value instanceof Map<?, ?> document)) {
			return this.inclusive ? new LinkedHashMap<String, @Nullable Object>() : value;
		}
		Map<String, @Nullable Object> result = this.inclusive ? new LinkedHashMap<>()
				: (Map<String, @Nullable Object>) Objects.requireNonNull(copy(document));
		// In the document's order of keys, whatever the order of the paths
		document.forEach((name, field) -> {
			String key = String.valueOf(name);
			Object rule = tree.get(key);
			if (rule == null) {
				return;
			}
			if (rule instanceof Map<?, ?> subtree) {
				if (field instanceof Map<?, ?> || field instanceof List<?>) {
					result.put(key, project(field, (Map<String, Object>) subtree));
				}
			}
			else if (this.inclusive) {
				result.put(key, copy(field));
			}
			else {
				result.remove(key);
			}
		});
		return result;
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
