package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * The sorted head of a skipped or limited cursor's result: the first matching documents
 * in the cursor's order, enough to cover the window (positions {@code skip} to
 * {@code skip + limit}) plus a buffer behind it, as Meteor's oplog driver keeps its
 * published set and buffer.
 * <p>
 * The head is always a prefix of the whole result: a document that sorts after its last
 * element is not kept (unless the head is {@link #complete}: it holds every matching
 * document). So a change to a document that neither was in the head nor sorts into it
 * costs one comparison and no query. When documents leave and the head no longer covers
 * the window, it is refilled from the store; a head that grew past the window and twice
 * the buffer is cut back.
 */
final class Window<T> {

	private final Comparator<IdentifiedFields<T>> order;

	private final int skip;

	// 0 for no limit: the head then holds every matching document
	private final int limit;

	private final int buffer;

	// Returns the first n matching documents in order
	private final IntFunction<List<StoredDocument<T>>> source;

	private final List<IdentifiedFields<T>> head = new ArrayList<>();

	// Wire id to the entry in the head
	private final Map<String, IdentifiedFields<T>> entries = new HashMap<>();

	private boolean complete;

	// How many times the store was queried, for tests
	int queries;

	Window(Comparator<IdentifiedFields<T>> order, int skip, int limit, IntFunction<List<StoredDocument<T>>> source) {
		this.order = order;
		this.skip = skip;
		this.limit = limit;
		this.buffer = Math.max(limit, 2);
		this.source = source;
	}

	/**
	 * Read the head from the store.
	 */
	void load() {
		int wanted = (this.limit > 0) ? this.skip + this.limit + this.buffer : 0;
		List<StoredDocument<T>> documents = this.source.apply(wanted);
		this.queries++;
		this.head.clear();
		this.entries.clear();
		for (StoredDocument<T> document : documents) {
			IdentifiedFields<T> entry = new IdentifiedFields<>(document);
			this.head.add(entry);
			this.entries.put(document.wireId(), entry);
		}
		// A store returns them sorted; sorting again costs little and guards the prefix
		this.head.sort(this.order);
		this.complete = wanted == 0 || documents.size() < wanted;
	}

	/**
	 * Take a document's new version.
	 * @param wireId the document's wire id
	 * @param matching the new version if it matches the cursor, else {@code null}
	 * @return whether the head changed (and the window may have)
	 */
	boolean apply(String wireId, @Nullable StoredDocument<T> matching) {
		IdentifiedFields<T> previous = this.entries.remove(wireId);
		if (previous != null) {
			this.head.remove(position(previous));
		}
		boolean inserted = false;
		if (matching != null) {
			IdentifiedFields<T> entry = new IdentifiedFields<>(matching);
			if (this.complete || (!this.head.isEmpty() && this.order.compare(entry, last()) < 0)) {
				this.head.add(-position(entry) - 1, entry);
				this.entries.put(wireId, entry);
				inserted = true;
			}
		}
		if (previous == null && !inserted) {
			return false;
		}
		if (!this.complete && this.head.size() < this.skip + this.limit) {
			load();
		}
		else if (this.limit > 0 && this.head.size() > this.skip + this.limit + 2 * this.buffer) {
			List<IdentifiedFields<T>> cut = this.head.subList(this.skip + this.limit + this.buffer, this.head.size());
			for (IdentifiedFields<T> entry : cut) {
				this.entries.remove(entry.document().wireId());
			}
			cut.clear();
			this.complete = false;
		}
		return true;
	}

	private IdentifiedFields<T> last() {
		return this.head.get(this.head.size() - 1);
	}

	private int position(IdentifiedFields<T> entry) {
		return Collections.binarySearch(this.head, entry, this.order);
	}

	/**
	 * Return the documents in the window, in order.
	 */
	List<StoredDocument<T>> documents() {
		int from = Math.min(this.skip, this.head.size());
		int to = (this.limit > 0) ? Math.min(this.head.size(), this.skip + this.limit) : this.head.size();
		List<StoredDocument<T>> documents = new ArrayList<>(to - from);
		for (IdentifiedFields<T> entry : this.head.subList(from, to)) {
			documents.add(entry.document());
		}
		return documents;
	}

}
