package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.server.publication.CollectionPublisher;
import io.ddp.spring.server.publication.PublishableCursor;

/**
 * A live query over a {@link DdpCollection} or another {@link ChangeFeed}: the documents
 * that pass a filter, with an optional projection of their top-level fields. Return it
 * from a publication and the subscription gets the matching documents as {@code added},
 * then {@code ready}, then {@code added}, {@code changed} (only the changed fields) and
 * {@code removed} as documents start matching, change or stop matching, until it stops:
 * <pre class="code">
 * &#64;DdpPublication
 * public DdpCursor&lt;Task&gt; openTasks() {
 *     return this.tasks.find((task) -&gt; !task.done()).exclude("notes");
 * }
 * </pre> Cursors are immutable and cheap: they hold no documents until published.
 * Subscriptions to equal cursors (same feed, same filter instance or explicit key, same
 * projection) share one multiplexer. There is no sort order: DDP clients order documents
 * themselves.
 *
 * @param <T> the document type
 * @since 0.1.0
 */
public final class DdpCursor<T> implements PublishableCursor {

	static final Object ALL = new Object() {

		@Override
		public String toString() {
			return "ALL";
		}

	};

	private static final Predicate<Object> ALL_DOCUMENTS = (document) -> true;

	private final ChangeFeed<T> feed;

	private final Object filterKey;

	private final Predicate<? super T> filter;

	private final Projection projection;

	DdpCursor(ChangeFeed<T> feed, Object filterKey, Predicate<? super T> filter, Projection projection) {
		this.feed = feed;
		this.filterKey = filterKey;
		this.filter = filter;
		this.projection = projection;
	}

	static Predicate<Object> all() {
		return ALL_DOCUMENTS;
	}

	@Override
	public String collectionName() {
		return this.feed.collectionName();
	}

	/**
	 * Return a cursor that publishes only the given top-level fields (and the id).
	 * @param fields the field names; {@code _id} is ignored, as the id is always sent
	 * @return the new cursor
	 * @throws IllegalStateException if this cursor excludes fields
	 */
	public DdpCursor<T> include(String... fields) {
		return new DdpCursor<>(this.feed, this.filterKey, this.filter, this.projection.include(fields));
	}

	/**
	 * Return a cursor that publishes every field but the given top-level ones.
	 * @param fields the field names; {@code _id} is ignored, as the id is always sent
	 * @return the new cursor
	 * @throws IllegalStateException if this cursor includes fields
	 */
	public DdpCursor<T> exclude(String... fields) {
		return new DdpCursor<>(this.feed, this.filterKey, this.filter, this.projection.exclude(fields));
	}

	/**
	 * Return the documents that match now (whole documents: the projection applies to
	 * what is published).
	 * @return the documents, in no particular order
	 */
	public List<T> fetch() {
		List<T> matching = new ArrayList<>();
		for (StoredDocument<T> document : this.feed.source().query(DdpQuery.all())) {
			if (this.filter.test(document.value())) {
				matching.add(document.value());
			}
		}
		return matching;
	}

	/**
	 * Return the number of documents that match now.
	 * @return the count
	 */
	public long count() {
		long count = 0;
		for (StoredDocument<T> document : this.feed.source().query(DdpQuery.all())) {
			if (this.filter.test(document.value())) {
				count++;
			}
		}
		return count;
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

	Key key() {
		return new Key(this.filterKey, this.projection);
	}

	Predicate<? super T> filter() {
		return this.filter;
	}

	Projection projection() {
		return this.projection;
	}

	@Override
	public String toString() {
		return "DdpCursor[collection=" + collectionName() + ", filter=" + this.filterKey + ", projection="
				+ this.projection + "]";
	}

	/**
	 * What makes cursors of one feed equal, to share a multiplexer. A filter is compared
	 * with its own {@code equals}, identity for lambdas.
	 */
	record Key(Object filter, Projection projection) {
	}

	/**
	 * A key given by the application instead of the filter's identity.
	 */
	record ExplicitKey(Object key) {
	}

}
