package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Fields;
import io.ddp.spring.query.Selector;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.CollectionPublisher;
import io.ddp.spring.server.publication.PublishableCursor;
import org.jspecify.annotations.Nullable;

/**
 * A live query over a {@link DdpCollection} or another {@link ChangeFeed}: the documents
 * a {@link DdpQuery} selects (or, as an escape hatch, that pass a Java filter),
 * optionally sorted, skipped and limited, with an optional projection of their fields.
 * Return it from a publication and the subscription gets the selected documents as
 * {@code added}, then {@code ready}, then {@code added}, {@code changed} (only the
 * changed fields) and {@code removed} as documents start matching, change or stop
 * matching, until it stops: <pre class="code">
 * &#64;DdpPublication("tasks.latest")
 * public DdpCursor&lt;Task&gt; latest(int n) {
 *     return this.tasks.find(Criteria.where("done").is(false)).sort(Sort.by("createdAt").descending()).limit(n);
 * }
 * </pre> Cursors are immutable and cheap: they hold no documents until published.
 * Subscriptions to cursors of equal queries (same feed, equal selector, sort, skip, limit
 * and fields) share one multiplexer; cursors with a Java filter share one when they have
 * the same filter instance or explicit key and equal options.
 * <p>
 * <b>Windows.</b> A skipped or limited cursor publishes exactly the documents at the
 * positions {@code skip} to {@code skip + limit} of its order (ties broken by id): as
 * others are inserted, change or are removed, documents enter and leave the window
 * ({@code added}, {@code removed}), as Meteor's server does for a Mongo cursor; no
 * ordered messages ({@code addedBefore}, {@code movedBefore}) are sent, as DDP clients
 * sort documents themselves. Without skip and limit the order is irrelevant to what is
 * published.
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class DdpCursor<T> implements PublishableCursor {

	private final ChangeFeed<T> feed;

	// For a filter cursor: what identifies its filter; null for a query cursor
	private final @Nullable Object filterKey;

	private final @Nullable Predicate<? super T> filter;

	private final DdpQuery query;

	DdpCursor(ChangeFeed<T> feed, DdpQuery query) {
		this(feed, null, null, query);
	}

	DdpCursor(ChangeFeed<T> feed, @Nullable Object filterKey, @Nullable Predicate<? super T> filter, DdpQuery query) {
		this.feed = feed;
		this.filterKey = filterKey;
		this.filter = filter;
		this.query = Objects.requireNonNull(query, "'query' must not be null");
	}

	@Override
	public String collectionName() {
		return this.feed.collectionName();
	}

	/**
	 * Return the query of this cursor; for a cursor with a Java filter, its options
	 * (sort, skip, limit, fields) around a selector of every document.
	 * @return the query
	 */
	public DdpQuery query() {
		return this.query;
	}

	private DdpCursor<T> with(DdpQuery query) {
		return new DdpCursor<>(this.feed, this.filterKey, this.filter, query);
	}

	/**
	 * Return a cursor in the given order; it matters to what is published only with a
	 * skip or a limit.
	 * @param sort the order
	 * @return the new cursor
	 */
	public DdpCursor<T> sort(Sort sort) {
		return with(this.query.sort(sort));
	}

	/**
	 * Return a cursor that skips the first documents of its order.
	 * @param skip how many
	 * @return the new cursor
	 */
	public DdpCursor<T> skip(int skip) {
		return with(this.query.skip(skip));
	}

	/**
	 * Return a cursor of at most some documents of its order.
	 * @param limit how many, {@code 0} for no limit
	 * @return the new cursor
	 */
	public DdpCursor<T> limit(int limit) {
		return with(this.query.limit(limit));
	}

	/**
	 * Return a cursor that publishes only the given fields (and the id).
	 * @param fields the field names or dotted paths; {@code _id} is ignored, as the id is
	 * always sent
	 * @return the new cursor
	 * @throws IllegalStateException if this cursor excludes fields
	 */
	public DdpCursor<T> include(String... fields) {
		return with(this.query.include(fields));
	}

	/**
	 * Return a cursor that publishes every field but the given ones.
	 * @param fields the field names or dotted paths; {@code _id} is ignored, as the id is
	 * always sent
	 * @return the new cursor
	 * @throws IllegalStateException if this cursor includes fields
	 */
	public DdpCursor<T> exclude(String... fields) {
		return with(this.query.exclude(fields));
	}

	/**
	 * Return the documents selected now, in order, skipped and limited (whole documents:
	 * the projection applies to what is published).
	 * @return the documents
	 */
	public List<T> fetch() {
		List<T> values = new ArrayList<>();
		for (StoredDocument<T> document : documents(this.query.skip(), this.query.limit())) {
			values.add(document.value());
		}
		return values;
	}

	/**
	 * Return the number of documents selected now, within skip and limit.
	 * @return the count
	 */
	public long count() {
		if (this.filter == null) {
			return this.feed.source().count(this.query.fields(Fields.ALL));
		}
		return documents(this.query.skip(), this.query.limit()).size();
	}

	/**
	 * Publish this cursor into a subscription; called by the server for a publication
	 * that returned it. Returns once the subscription has the current documents.
	 * @param publisher publishes into the subscription
	 */
	@Override
	public void publish(CollectionPublisher publisher) {
		this.feed.publish(this, publisher);
	}

	/**
	 * The selected documents in order from position {@code skip}, at most {@code limit}
	 * ({@code 0}: all).
	 */
	List<StoredDocument<T>> documents(int skip, int limit) {
		DdpQuery whole = this.query.fields(Fields.ALL).skip(skip).limit(limit);
		Predicate<? super T> filter = this.filter;
		if (filter == null) {
			return this.feed.source().query(whole);
		}
		List<StoredDocument<T>> selected = new ArrayList<>();
		int skipped = 0;
		for (StoredDocument<T> document : this.feed.source().query(whole.skip(0).limit(0))) {
			if (filter.test(document.value())) {
				if (skipped < skip) {
					skipped++;
				}
				else {
					selected.add(document);
					if (limit > 0 && selected.size() == limit) {
						break;
					}
				}
			}
		}
		return selected;
	}

	Object key() {
		return (this.filterKey != null) ? new FilterKey(this.filterKey, this.query) : this.query;
	}

	/**
	 * Whether a version of a document is selected (before skip and limit).
	 */
	Predicate<StoredDocument<T>> matcher() {
		Predicate<? super T> filter = this.filter;
		if (filter != null) {
			return (document) -> filter.test(document.value());
		}
		Selector selector = this.query.selector();
		if (selector.equals(Selector.ALL)) {
			return (document) -> true;
		}
		return (document) -> selector.matches(new IdentifiedFields<>(document));
	}

	/**
	 * The window of a skipped or limited cursor, reading the store in this cursor's
	 * order.
	 */
	@Nullable Window<T> window() {
		if (!this.query.isWindowed()) {
			return null;
		}
		return new Window<>(this.query.sort()::compare, this.query.skip(), this.query.limit(),
				(count) -> documents(0, count));
	}

	@Override
	public String toString() {
		return "DdpCursor[collection=" + collectionName()
				+ ((this.filterKey != null) ? ", filter=" + this.filterKey : "") + ", query=" + this.query + "]";
	}

	/**
	 * What makes filter cursors of one feed equal, to share a multiplexer. A filter is
	 * compared with its own {@code equals}, identity for lambdas.
	 */
	record FilterKey(Object filter, DdpQuery query) {
	}

	/**
	 * A key given by the application instead of the filter's identity.
	 */
	record ExplicitKey(Object key) {
	}

}
