package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The order of a query's documents: keys (dotted paths) each ascending or descending, as
 * Meteor's {@code sort} option. Build one with {@code Sort.by("createdAt").descending()}
 * or {@code Sort.by(Order.desc("createdAt"), Order.asc("title"))}, or parse Meteor's
 * forms with {@link #parse(Object)}.
 * <p>
 * The {@link #comparator()} follows Minimongo's order of mixed types: missing and
 * {@code null}, numbers, strings, objects, lists, binary, ObjectIDs, booleans, dates,
 * regular expressions. A key whose path reaches a list sorts by the list's smallest
 * element when ascending and its largest when descending (an empty list as a missing
 * value). Documents equal on every key are ordered by their {@code _id}, ascending, so
 * that every store and every instance orders (and therefore limits) them the same way.
 * Sorts are immutable values with structural equality.
 *
 * @since 0.2.0
 */
public final class Sort {

	private static final Sort UNSORTED = new Sort(List.of());

	private final List<Order> orders;

	private Sort(List<Order> orders) {
		this.orders = List.copyOf(orders);
	}

	/**
	 * Return the empty sort: documents in {@code _id} order.
	 * @return the sort
	 */
	public static Sort unsorted() {
		return UNSORTED;
	}

	/**
	 * Return a sort on the given keys, ascending.
	 * @param paths the dotted paths
	 * @return the sort
	 */
	public static Sort by(String... paths) {
		List<Order> orders = new ArrayList<>(paths.length);
		for (String path : paths) {
			orders.add(Order.asc(path));
		}
		return new Sort(orders);
	}

	/**
	 * Return a sort of the given orders.
	 * @param orders the keys, most significant first
	 * @return the sort
	 */
	public static Sort by(Order... orders) {
		return new Sort(List.of(orders));
	}

	/**
	 * Return a sort of the given orders.
	 * @param orders the keys, most significant first
	 * @return the sort
	 */
	public static Sort by(List<Order> orders) {
		return new Sort(orders);
	}

	/**
	 * Parse Meteor's sort specifier: a map of paths to {@code 1} or {@code -1} (in the
	 * map's order), a list of paths and {@code [path, "asc"|"desc"]} pairs, or a single
	 * path.
	 * @param specifier the specifier; {@code null} for none
	 * @return the sort
	 * @throws IllegalArgumentException if the specifier has another form
	 */
	public static Sort parse(@Nullable Object specifier) {
		if (specifier == null) {
			return UNSORTED;
		}
		List<Order> orders = new ArrayList<>();
		if (specifier instanceof String path) {
			orders.add(Order.asc(path));
		}
		else if (specifier instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				boolean descending = value instanceof Number number && number.doubleValue() < 0;
				if (!(value instanceof Number) && !(value instanceof Boolean)) {
					throw new IllegalArgumentException("Bad sort specification: " + key + ": " + value);
				}
				orders.add(descending ? Order.desc(String.valueOf(key)) : Order.asc(String.valueOf(key)));
			});
		}
		else if (specifier instanceof List<?> list) {
			for (Object element : list) {
				if (element instanceof String path) {
					orders.add(Order.asc(path));
				}
				else if (element instanceof List<?> pair && !pair.isEmpty() && pair.get(0) instanceof String path) {
					Object direction = (pair.size() > 1) ? pair.get(1) : "asc";
					orders.add("desc".equals(direction) ? Order.desc(path) : Order.asc(path));
				}
				else {
					throw new IllegalArgumentException("Bad sort specification: " + element);
				}
			}
		}
		else {
			throw new IllegalArgumentException("Bad sort specification: " + specifier);
		}
		return new Sort(orders);
	}

	/**
	 * Return this sort with every key descending (as Spring Data's {@code Sort}: call it
	 * before adding less significant keys with {@link #and(String...)}).
	 * @return the sort
	 */
	public Sort descending() {
		return withDirection(false);
	}

	/**
	 * Return this sort with every key ascending.
	 * @return the sort
	 */
	public Sort ascending() {
		return withDirection(true);
	}

	private Sort withDirection(boolean ascending) {
		List<Order> orders = new ArrayList<>(this.orders.size());
		for (Order order : this.orders) {
			orders.add(new Order(order.path(), ascending));
		}
		return new Sort(orders);
	}

	/**
	 * Return this sort followed by ascending keys on the given paths.
	 * @param paths the dotted paths
	 * @return the sort
	 */
	public Sort and(String... paths) {
		return and(by(paths));
	}

	/**
	 * Return this sort followed by another.
	 * @param sort the less significant keys
	 * @return the sort
	 */
	public Sort and(Sort sort) {
		List<Order> orders = new ArrayList<>(this.orders);
		orders.addAll(sort.orders);
		return new Sort(orders);
	}

	/**
	 * Return the keys.
	 * @return the orders, most significant first
	 */
	public List<Order> orders() {
		return this.orders;
	}

	/**
	 * Whether this sort has no keys.
	 * @return whether the documents are only ordered by id
	 */
	public boolean isUnsorted() {
		return this.orders.isEmpty();
	}

	/**
	 * Return a comparator of documents' fields in this order, ties broken by {@code _id}.
	 * @param <M> the map type
	 * @return the comparator; it reads {@code _id} from the fields
	 */
	public <M extends Map<String, ?>> Comparator<M> comparator() {
		return this::compare;
	}

	/**
	 * Compare two documents' fields in this order, ties broken by {@code _id}.
	 * @param <M> the map type
	 * @param a the first document's fields, with its {@code _id}
	 * @param b the second document's fields, with its {@code _id}
	 * @return negative, zero or positive as {@code a} sorts before, with or after
	 * {@code b}
	 */
	public <M extends Map<String, ?>> int compare(M a, M b) {
		for (Order order : this.orders) {
			int result = Values.compare(order.key(a), order.key(b));
			if (result != 0) {
				return order.ascending() ? result : -result;
			}
		}
		return Values.compare(a.get("_id"), b.get("_id"));
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof Sort sort && this.orders.equals(sort.orders));
	}

	@Override
	public int hashCode() {
		return this.orders.hashCode();
	}

	@Override
	public String toString() {
		return "Sort" + this.orders;
	}

	/**
	 * One key of a sort.
	 *
	 * @param path the dotted path
	 * @param ascending whether smaller values come first
	 */
	public record Order(String path, boolean ascending) {

		/**
		 * Create a key.
		 * @param path the dotted path
		 * @param ascending whether smaller values come first
		 */
		public Order {
			Objects.requireNonNull(path, "'path' must not be null");
			if (path.isEmpty()) {
				throw new IllegalArgumentException("A sort key must not be empty");
			}
		}

		/**
		 * Return an ascending key.
		 * @param path the dotted path
		 * @return the key
		 */
		public static Order asc(String path) {
			return new Order(path, true);
		}

		/**
		 * Return a descending key.
		 * @param path the dotted path
		 * @return the key
		 */
		public static Order desc(String path) {
			return new Order(path, false);
		}

		/**
		 * The value a document sorts by on this key: the smallest (ascending) or largest
		 * (descending) of the values the path reaches, lists expanded one level. A
		 * numeric part of the path only indexes a list, as in Minimongo's sorter.
		 */
		@Nullable Object key(Map<String, ?> fields) {
			List<@Nullable Object> branches = new ArrayList<>(1);
			Values.lookup(fields, Values.split(this.path), 0, branches, true);
			Object best = Values.MISSING;
			boolean first = true;
			for (Object branch : branches) {
				// A list picked by position sorts by its elements like any other (as
				// ddp_sort_key does in SQL)
				if (branch instanceof Values.Whole whole) {
					branch = whole.list();
				}
				if (branch instanceof List<?> list) {
					for (Object element : list) {
						if (first || better(element, best)) {
							best = element;
							first = false;
						}
					}
				}
				else if (first || better(branch, best)) {
					best = branch;
					first = false;
				}
			}
			return (best == Values.MISSING) ? null : best;
		}

		private boolean better(@Nullable Object candidate, @Nullable Object best) {
			int result = Values.compare(candidate, best);
			return this.ascending ? result < 0 : result > 0;
		}

		@Override
		public String toString() {
			return this.path + (this.ascending ? ": 1" : ": -1");
		}

	}

}
