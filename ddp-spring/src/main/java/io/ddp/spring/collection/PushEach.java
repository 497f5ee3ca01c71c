package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.JsTruthiness;
import io.ddp.spring.query.Sort;
import org.jspecify.annotations.Nullable;

/**
 * {@code $push} with {@code $each} and its options as Meteor 1.9's Minimongo reads them:
 * {@code $position} (where the values go, at the end without it), {@code $sort} (the
 * whole list afterwards, a Meteor sort specifier, only with {@code $slice} and documents)
 * and {@code $slice} (0 empties the list, a negative number keeps the last elements, a
 * positive one the first).
 *
 * @param values the values to push
 * @param position where to insert them, or {@code null} for the end
 * @param sort the order of the list afterwards, or {@code null}
 * @param slice how many elements to keep, or {@code null} for all
 */
record PushEach(List<@Nullable Object> values, @Nullable Integer position, @Nullable Sort sort, @Nullable Long slice) {

	static PushEach parse(Map<?, ?> argument) {
		if (!(argument.get("$each") instanceof List<?> each)) {
			throw new ModifierException("$each must be an array");
		}
		Integer position = null;
		if (argument.containsKey("$position")) {
			if (!(argument.get("$position") instanceof Number number)) {
				throw new ModifierException("$position must be a numeric value");
			}
			if (number.doubleValue() < 0) {
				throw new ModifierException("$position in $push must be zero or positive");
			}
			position = (int) Math.min(number.doubleValue(), Integer.MAX_VALUE);
		}
		Long slice = null;
		if (argument.containsKey("$slice")) {
			if (!(argument.get("$slice") instanceof Number number)) {
				throw new ModifierException("$slice must be a numeric value");
			}
			// JavaScript's slice truncates
			slice = (long) number.doubleValue();
		}
		Sort sort = null;
		Object sortSpecifier = argument.get("$sort");
		if (JsTruthiness.isTruthy(sortSpecifier)) {
			if (slice == null) {
				throw new ModifierException("$sort requires $slice to be present");
			}
			for (Object value : each) {
				if (!(value instanceof Map<?, ?>)) {
					throw new ModifierException("$push like modifiers using $sort require all elements to be objects");
				}
			}
			try {
				sort = Sort.parse(sortSpecifier);
			}
			catch (IllegalArgumentException ex) {
				throw new ModifierException(String.valueOf(ex.getMessage()));
			}
		}
		return new PushEach(new ArrayList<>(each), position, sort, slice);
	}

	/**
	 * Push into a list, in place.
	 * @param list the list, mutable
	 * @return the list afterwards (another list when sliced)
	 */
	List<@Nullable Object> applyTo(List<@Nullable Object> list) {
		List<@Nullable Object> copies = new ArrayList<>(this.values.size());
		for (Object value : this.values) {
			copies.add(Ejson.clone(value));
		}
		list.addAll((this.position != null) ? Math.min(this.position, list.size()) : list.size(), copies);
		Sort order = this.sort;
		if (order != null) {
			// $sort takes only documents among the values; the list's own elements that
			// are not documents sort like documents without the keys
			list.sort((a, b) -> order.compare(asFields(a), asFields(b)));
		}
		if (this.slice == null) {
			return list;
		}
		long keep = this.slice;
		if (keep == 0) {
			return new ArrayList<>();
		}
		int size = list.size();
		return (keep < 0) ? new ArrayList<>(list.subList((int) Math.max(0, size + keep), size))
				: new ArrayList<>(list.subList(0, (int) Math.min(size, keep)));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, ?> asFields(@Nullable Object element) {
		return (element instanceof Map<?, ?> map) ? (Map<String, ?>) map : Map.of();
	}

}
