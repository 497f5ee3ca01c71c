package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A query defined by data, as Meteor's {@code find(selector, {sort, skip, limit,
 * fields})}: which documents ({@link Selector}), in which order ({@link Sort}, ties
 * broken by {@code _id}), how many to skip and return, and which of their fields
 * ({@link Fields}). <pre class="code">
 * DdpQuery.where(Criteria.where("done").is(false)).sort(Sort.by("createdAt").descending()).limit(50)
 * DdpQuery.parse(Map.of("done", false), Map.of("sort", Map.of("createdAt", -1), "limit", 50))
 * </pre> Queries are immutable values with structural equality: cursors of equal queries
 * share one live query.
 *
 * @since 0.2.0
 */
public final class DdpQuery {

	private static final DdpQuery ALL = new DdpQuery(Selector.ALL, Sort.unsorted(), 0, 0, Fields.ALL);

	private final Selector selector;

	private final Sort sort;

	private final int skip;

	private final int limit;

	private final Fields fields;

	private DdpQuery(Selector selector, Sort sort, int skip, int limit, Fields fields) {
		this.selector = Objects.requireNonNull(selector, "'selector' must not be null");
		this.sort = Objects.requireNonNull(sort, "'sort' must not be null");
		this.fields = Objects.requireNonNull(fields, "'fields' must not be null");
		if (skip < 0) {
			throw new IllegalArgumentException("skip must not be negative: " + skip);
		}
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative: " + limit);
		}
		this.skip = skip;
		this.limit = limit;
	}

	/**
	 * Return the query of every document, unsorted (in id order), unlimited, whole.
	 * @return the query
	 */
	public static DdpQuery all() {
		return ALL;
	}

	/**
	 * Return the query of the documents a selector matches.
	 * @param selector the selector
	 * @return the query
	 */
	public static DdpQuery where(Selector selector) {
		return ALL.selector(selector);
	}

	/**
	 * Return the query of the documents criteria match.
	 * @param criteria the criteria
	 * @return the query
	 */
	public static DdpQuery where(Criteria criteria) {
		return where(criteria.selector());
	}

	/**
	 * Parse the arguments of Meteor's {@code find(selector, options)}.
	 * @param selector the selector (see {@link Selector#parse(Object)})
	 * @param options the options {@code sort}, {@code skip}, {@code limit} and
	 * {@code fields} (or {@code projection}), {@code null} for none; others, such as
	 * {@code transform} or {@code reactive}, are ignored
	 * @return the query
	 * @throws IllegalArgumentException if an argument is malformed
	 */
	public static DdpQuery parse(@Nullable Object selector, @Nullable Map<String, ?> options) {
		DdpQuery query = where(Selector.parse(selector));
		if (options == null) {
			return query;
		}
		query = query.sort(Sort.parse(options.get("sort")));
		query = query.skip(count("skip", options.get("skip")));
		query = query.limit(count("limit", options.get("limit")));
		Object fields = options.containsKey("fields") ? options.get("fields") : options.get("projection");
		if (fields != null && !(fields instanceof Map<?, ?>)) {
			throw new IllegalArgumentException("fields must be an object: " + fields);
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> specifier = (Map<String, ?>) fields;
		return query.fields(Fields.parse(specifier));
	}

	private static int count(String option, @Nullable Object value) {
		if (value == null) {
			return 0;
		}
		if (!(value instanceof Number number) || number.doubleValue() < 0
				|| number.doubleValue() != Math.rint(number.doubleValue())) {
			throw new IllegalArgumentException(option + " must be a non-negative whole number: " + value);
		}
		return (int) Math.min(Integer.MAX_VALUE, number.longValue());
	}

	/**
	 * Return this query with another selector.
	 * @param selector the selector
	 * @return the query
	 */
	public DdpQuery selector(Selector selector) {
		return new DdpQuery(selector, this.sort, this.skip, this.limit, this.fields);
	}

	/**
	 * Return this query with another order.
	 * @param sort the order
	 * @return the query
	 */
	public DdpQuery sort(Sort sort) {
		return new DdpQuery(this.selector, sort, this.skip, this.limit, this.fields);
	}

	/**
	 * Return this query skipping the first documents of its order.
	 * @param skip how many, {@code 0} for none
	 * @return the query
	 */
	public DdpQuery skip(int skip) {
		return new DdpQuery(this.selector, this.sort, skip, this.limit, this.fields);
	}

	/**
	 * Return this query returning at most some documents.
	 * @param limit how many, {@code 0} for no limit (as in Meteor)
	 * @return the query
	 */
	public DdpQuery limit(int limit) {
		return new DdpQuery(this.selector, this.sort, this.skip, limit, this.fields);
	}

	/**
	 * Return this query with another projection.
	 * @param fields the fields to return
	 * @return the query
	 */
	public DdpQuery fields(Fields fields) {
		return new DdpQuery(this.selector, this.sort, this.skip, this.limit, fields);
	}

	/**
	 * Return this query keeping only some fields.
	 * @param paths the dotted paths
	 * @return the query
	 */
	public DdpQuery include(String... paths) {
		return fields(this.fields.andInclude(paths));
	}

	/**
	 * Return this query dropping some fields.
	 * @param paths the dotted paths
	 * @return the query
	 */
	public DdpQuery exclude(String... paths) {
		return fields(this.fields.andExclude(paths));
	}

	/**
	 * Return the selector.
	 * @return the selector
	 */
	public Selector selector() {
		return this.selector;
	}

	/**
	 * Return the order.
	 * @return the sort, {@link Sort#unsorted()} for id order
	 */
	public Sort sort() {
		return this.sort;
	}

	/**
	 * Return how many documents are skipped.
	 * @return the skip, {@code 0} for none
	 */
	public int skip() {
		return this.skip;
	}

	/**
	 * Return how many documents are returned at most.
	 * @return the limit, {@code 0} for no limit
	 */
	public int limit() {
		return this.limit;
	}

	/**
	 * Return the projection.
	 * @return the fields
	 */
	public Fields fields() {
		return this.fields;
	}

	/**
	 * Whether the query returns a window of its matching documents (it skips or limits).
	 * @return whether skip or limit is set
	 */
	public boolean isWindowed() {
		return this.skip > 0 || this.limit > 0;
	}

	/**
	 * Run this query over documents in memory: select, sort, skip and limit (without
	 * projecting).
	 * @param <M> the document type
	 * @param documents the documents' fields, each with its {@code _id}
	 * @return the documents of the result, in order
	 */
	public <M extends Map<String, ? extends @Nullable Object>> List<M> select(Iterable<M> documents) {
		List<M> matching = new ArrayList<>();
		for (M document : documents) {
			if (this.selector.matches(document)) {
				matching.add(document);
			}
		}
		matching.sort(this.sort::compare);
		int from = Math.min(this.skip, matching.size());
		int to = (this.limit > 0) ? (int) Math.min(matching.size(), (long) from + this.limit) : matching.size();
		return new ArrayList<>(matching.subList(from, to));
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof DdpQuery query && this.skip == query.skip && this.limit == query.limit
				&& this.selector.equals(query.selector) && this.sort.equals(query.sort)
				&& this.fields.equals(query.fields));
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.selector, this.sort, this.skip, this.limit, this.fields);
	}

	@Override
	public String toString() {
		return "DdpQuery[selector=" + this.selector + ", sort=" + this.sort + ", skip=" + this.skip + ", limit="
				+ this.limit + ", fields=" + this.fields + "]";
	}

}
