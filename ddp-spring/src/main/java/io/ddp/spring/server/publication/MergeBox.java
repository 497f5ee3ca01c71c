package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A session's merge box (Meteor's {@code collectionViews} with
 * {@code SessionCollectionView} and {@code SessionDocumentView}): takes what every
 * subscription of the session publishes and sends the client the {@code added},
 * {@code changed} and {@code removed} messages that keep it in step, according to each
 * collection's {@link PublicationStrategy}.
 * <p>
 * Each strategy has its merge strategy class ({@code ServerMergeStrategy},
 * {@code NoMergeMultiStrategy}, {@code NoMergeStrategy},
 * {@code NoMergeNoHistoryStrategy}, all {@code MergeStrategy}): the merge box only finds
 * the collection's view, whose strategy was chosen when the view was created, or resolves
 * the strategy of a collection without a view, and hands the call over.
 * <p>
 * With {@link PublicationStrategy#SERVER_MERGE} a document published by several
 * subscriptions reaches the client once; for each field the first publisher's value is
 * visible and the others wait in order, taking over when it clears the field or stops.
 * Only real changes are sent, values compared with {@code Ejson.equals}; an empty
 * {@code changed} is never sent and a collection's view is dropped when its last document
 * goes.
 * <p>
 * Field values: {@code null} is the JSON {@code null} value; a field mapped to
 * {@link #UNDEFINED} in {@link #changed} is removed (JavaScript's {@code undefined},
 * which a user-facing API may derive from {@code null}). Fields mapped to
 * {@link #UNDEFINED} in {@link #added} are left out. Values are deep-copied on entry,
 * except those of a {@link DocumentSnapshot}, which is immutable and is kept by
 * reference: with {@link #addedShared} and {@link #changedShared} a document that the
 * client gets from a single subscription costs the session a map entry and a reference.
 * <p>
 * Errors are Meteor's, and checked per subscription: {@code changed} by a subscription
 * that has not added the document throws "Could not find element with id X to change",
 * and {@code removed} "Removed nonexistent document X" (Meteor only checks that some
 * subscription has the document, which lets publishers with inexact bookkeeping leave
 * values behind). Nothing changes when a call throws.
 * <p>
 * A user change (section 4.9) goes through {@link #startUserChange()} and
 * {@link #completeUserChange(MergeBox)}; closing the session just drops the merge box.
 * <p>
 * Not thread-safe: the session must serialize every call on its merge box (as it does
 * with its message queue), so publishers running on other threads hand their calls to the
 * session. The output is called on the calling thread. {@link #removeSubscription} visits
 * every document the session holds, as documents do not record their subscriptions a
 * second time; the order in which it and {@link #diff} visit documents is unspecified.
 *
 * @since 0.1.0
 */
public final class MergeBox {

	/**
	 * Marks a field to remove in {@link #changed}: JavaScript's {@code undefined}, as
	 * opposed to {@code null}, which is a value.
	 */
	public static final Object UNDEFINED = new Undefined();

	private final MergeBoxOutput output;

	private final Function<String, PublicationStrategy> strategies;

	private final Map<String, CollectionView> views = new HashMap<>(4);

	// Ids added per subscription and collection, for NO_MERGE
	private @Nullable Map<SubscriptionHandle, Map<String, Set<String>>> noMergeDocuments;

	// During a user change: collection views fill without sending (section 4.9)
	private boolean silent;

	// Documents held in all collection views, kept as they come and go: the
	// per-session document limit asks for it on every new document.
	private int documentCount;

	/**
	 * Create a merge box that uses {@link PublicationStrategy#SERVER_MERGE} for every
	 * collection.
	 * @param output where messages go
	 */
	public MergeBox(MergeBoxOutput output) {
		this(output, (collection) -> PublicationStrategy.SERVER_MERGE);
	}

	/**
	 * Create a merge box.
	 * @param output where messages go
	 * @param strategies the strategy for each collection name; must not change for a
	 * collection while the merge box holds documents of it
	 */
	public MergeBox(MergeBoxOutput output, Function<String, PublicationStrategy> strategies) {
		this.output = Objects.requireNonNull(output, "'output' must not be null");
		this.strategies = Objects.requireNonNull(strategies, "'strategies' must not be null");
	}

	/**
	 * A subscription publishes a document ({@code this.added}). {@code _id} among the
	 * fields is ignored, except by the strategies that forward calls as they are.
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the fields; values are copied
	 */
	public void added(SubscriptionHandle sub, String collection, String id,
			Map<String, ? extends @Nullable Object> fields) {
		CollectionView view = this.views.get(collection);
		if (view != null) {
			view.strategy().added(view, sub, id, fields);
		}
		else {
			strategy(collection).added(this, collection, sub, id, fields);
		}
	}

	/**
	 * A subscription publishes a document whose fields are a shared snapshot, kept by
	 * reference. For a document the subscription has already added this is
	 * {@link #changedShared(SubscriptionHandle, String, String, DocumentSnapshot)}.
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire; pass the same instance to every
	 * session, as the merge box keeps it
	 * @param fields the document's fields
	 */
	public void addedShared(SubscriptionHandle sub, String collection, String id, DocumentSnapshot fields) {
		CollectionView view = this.views.get(collection);
		if (view != null) {
			view.strategy().addedShared(view, sub, id, fields);
		}
		else {
			strategy(collection).addedShared(this, collection, sub, id, fields);
		}
	}

	/**
	 * A subscription changes a document it publishes ({@code this.changed}): fields
	 * mapped to a value are set, fields mapped to {@link #UNDEFINED} removed.
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the changed fields; values are copied
	 * @throws IllegalStateException "Could not find element with id X to change" if the
	 * subscription does not publish the document and the strategy keeps a view
	 */
	public void changed(SubscriptionHandle sub, String collection, String id,
			Map<String, ? extends @Nullable Object> fields) {
		CollectionView view = this.views.get(collection);
		if (view != null) {
			view.strategy().changed(view, sub, id, fields);
		}
		else {
			strategy(collection).changed(this, collection, sub, id, fields);
		}
	}

	/**
	 * A subscription publishes a new version of a document it publishes, as a shared
	 * snapshot: the merge box works out what changed from the version it has. Strategies
	 * that keep no values send every field of the new version.
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the new version of the document's fields
	 * @throws IllegalStateException "Could not find element with id X to change" if the
	 * subscription does not publish the document and the strategy keeps a view
	 */
	public void changedShared(SubscriptionHandle sub, String collection, String id, DocumentSnapshot fields) {
		changedShared(sub, collection, id, null, fields);
	}

	/**
	 * A subscription publishes a new version of a document it publishes, as a shared
	 * snapshot, with the version it published before. {@code previous} lets the
	 * strategies that keep no values send only the difference; with
	 * {@link PublicationStrategy#SERVER_MERGE} the version the merge box holds is used
	 * instead.
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param previous the version this subscription published before, or {@code null} if
	 * not known
	 * @param fields the new version of the document's fields
	 * @throws IllegalStateException "Could not find element with id X to change" if the
	 * subscription does not publish the document and the strategy keeps a view
	 */
	public void changedShared(SubscriptionHandle sub, String collection, String id, @Nullable DocumentSnapshot previous,
			DocumentSnapshot fields) {
		CollectionView view = this.views.get(collection);
		if (view != null) {
			view.strategy().changedShared(view, sub, id, previous, fields);
		}
		else {
			strategy(collection).changedShared(this, collection, sub, id, previous, fields);
		}
	}

	/**
	 * A subscription stops publishing a document ({@code this.removed}).
	 * @param sub the subscription
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @throws IllegalStateException "Removed nonexistent document X" if the subscription
	 * does not publish the document and the strategy keeps a view
	 */
	public void removed(SubscriptionHandle sub, String collection, String id) {
		CollectionView view = this.views.get(collection);
		if (view != null) {
			view.strategy().removed(view, sub, id);
			dropIfEmpty(view);
		}
		else {
			strategy(collection).removed(this, collection, sub, id);
		}
	}

	/**
	 * A subscription stops (unsubscribed, stopped or failed): every document it publishes
	 * is removed from it as by {@link #removed}, so the client loses what no other
	 * subscription publishes. With {@link PublicationStrategy#NO_MERGE} each id it added
	 * is sent as {@code removed}; with {@link PublicationStrategy#NO_MERGE_NO_HISTORY}
	 * nothing is sent.
	 * @param sub the subscription
	 */
	public void removeSubscription(SubscriptionHandle sub) {
		if (this.noMergeDocuments != null) {
			Map<String, Set<String>> documents = this.noMergeDocuments.remove(sub);
			if (documents != null) {
				documents.forEach((collection, ids) -> ids.forEach((id) -> this.output.removed(collection, id)));
			}
			if (this.noMergeDocuments.isEmpty()) {
				this.noMergeDocuments = null;
			}
		}
		for (CollectionView view : new ArrayList<>(this.views.values())) {
			CollectionViewStrategy strategy = view.strategy();
			for (String id : view.documentsOf(sub)) {
				strategy.removed(view, sub, id);
			}
			dropIfEmpty(view);
		}
	}

	/**
	 * Start a user change (section 4.9): return an empty merge box with the same output
	 * and strategies for the re-run subscriptions. It sends the calls of the strategies
	 * without a collection view at once, and records the others silently, keeping field
	 * values for {@link PublicationStrategy#NO_MERGE_MULTI} too, until
	 * {@link #completeUserChange(MergeBox)}. This merge box is left as it is and should
	 * not be used any more, except as the argument to that method.
	 * @return the merge box for the re-run subscriptions
	 */
	public MergeBox startUserChange() {
		MergeBox next = new MergeBox(this.output, this.strategies);
		next.silent = true;
		return next;
	}

	/**
	 * Finish a user change started with {@link #startUserChange()} on {@code previous}:
	 * send what moves the client from the old views to the ones this merge box built,
	 * then send every later call. Documents of {@link PublicationStrategy#NO_MERGE_MULTI}
	 * collections go out with all the fields the re-run published ({@code added} if new
	 * to the client, else {@code changed} without cleared fields, as the old values are
	 * not known), never as an empty {@code added}; afterwards their values are dropped.
	 * @param previous the merge box from before the user change
	 * @throws IllegalStateException if this merge box was not made by
	 * {@link #startUserChange()} or was completed already
	 */
	public void completeUserChange(MergeBox previous) {
		if (!this.silent) {
			throw new IllegalStateException("No user change in progress");
		}
		diff(previous, this, this.output);
		this.silent = false;
		this.views.replaceAll((name, view) -> view.strategy().completeUserChange(view));
	}

	/**
	 * Send to {@code output} what moves a client that sees {@code from} to seeing
	 * {@code to}: {@code added} with all fields for documents only in {@code to},
	 * {@code removed} for documents only in {@code from}, and {@code changed} with the
	 * differences for documents in both. Only collections with a view take part.
	 * @param from the merge box the client is in step with
	 * @param to the merge box to move to
	 * @param output where messages go
	 */
	public static void diff(MergeBox from, MergeBox to, MergeBoxOutput output) {
		for (CollectionView view : to.views.values()) {
			CollectionView before = from.views.get(view.name());
			for (Map.Entry<String, Object> entry : view.documents().entrySet()) {
				DocumentSnapshot now = CollectionView.visible(entry.getValue());
				Object previous = (before != null) ? before.documents().get(entry.getKey()) : null;
				if (previous == null) {
					output.added(view.name(), entry.getKey(), now.asMap());
				}
				else {
					Map<String, @Nullable Object> delta = new LinkedHashMap<>();
					DocumentSnapshot.diff(CollectionView.visible(previous), now, delta);
					sendChanged(output, view.name(), entry.getKey(), FieldMaps.nullable(delta));
				}
			}
		}
		for (CollectionView before : from.views.values()) {
			CollectionView view = to.views.get(before.name());
			for (String id : before.documents().keySet()) {
				if (view == null || !view.documents().containsKey(id)) {
					output.removed(before.name(), id);
				}
			}
		}
	}

	/**
	 * Return the fields the client sees of a document held in a collection view.
	 * @param collection the collection name
	 * @param id the document id
	 * @return a read-only view of the fields (empty for
	 * {@link PublicationStrategy#NO_MERGE_MULTI}), or {@code null} if the document is not
	 * held
	 */
	public @Nullable Map<String, @Nullable Object> fields(String collection, String id) {
		CollectionView view = this.views.get(collection);
		Object doc = (view != null) ? view.documents().get(id) : null;
		return (doc != null) ? CollectionView.visible(doc).asMap() : null;
	}

	/**
	 * Return the ids of the documents held in a collection view.
	 * @param collection the collection name
	 * @return a read-only view of the ids, empty if there is no view
	 */
	public Set<String> documentIds(String collection) {
		CollectionView view = this.views.get(collection);
		return (view != null) ? Collections.unmodifiableSet(view.documents().keySet()) : Set.of();
	}

	/**
	 * Return the number of documents held in all collection views (strategies that keep
	 * no view hold none).
	 * @return the count, kept up to date as documents come and go
	 */
	public int documentCount() {
		return this.documentCount;
	}

	/**
	 * Return the names of the collections that have a view.
	 * @return a read-only view of the names
	 */
	public Set<String> collections() {
		return Collections.unmodifiableSet(this.views.keySet());
	}

	private MergeStrategy strategy(String collection) {
		PublicationStrategy strategy = this.strategies.apply(collection);
		return MergeStrategy.of((strategy != null) ? strategy : PublicationStrategy.SERVER_MERGE);
	}

	CollectionView createView(String collection, CollectionViewStrategy strategy, SubscriptionHandle owner) {
		CollectionView view = new CollectionView(this, collection, (this.silent) ? strategy.whileRecording() : strategy,
				owner);
		this.views.put(collection, view);
		return view;
	}

	void documentAdded() {
		this.documentCount++;
	}

	void documentRemoved() {
		this.documentCount--;
	}

	private void dropIfEmpty(CollectionView view) {
		if (view.isEmpty()) {
			this.views.remove(view.name());
		}
	}

	// Accounting, for NoMergeStrategy

	void recordNoMergeDocument(SubscriptionHandle sub, String collection, String id) {
		if (this.noMergeDocuments == null) {
			this.noMergeDocuments = new HashMap<>();
		}
		this.noMergeDocuments.computeIfAbsent(sub, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(collection, (key) -> new LinkedHashSet<>())
			.add(id);
	}

	void forgetNoMergeDocument(SubscriptionHandle sub, String collection, String id) {
		Map<SubscriptionHandle, Map<String, Set<String>>> bySubscription = this.noMergeDocuments;
		Map<String, Set<String>> documents = (bySubscription != null) ? bySubscription.get(sub) : null;
		if (bySubscription == null || documents == null) {
			return;
		}
		Set<String> ids = documents.get(collection);
		if (ids != null && ids.remove(id) && ids.isEmpty()) {
			documents.remove(collection);
			if (documents.isEmpty()) {
				bySubscription.remove(sub);
			}
		}
	}

	// Forwarding, for the strategies without a collection view: sent even during a user
	// change

	void forwardAdded(String collection, String id, Map<String, @Nullable Object> fields) {
		this.output.added(collection, id, fields);
	}

	void forwardChanged(String collection, String id, Map<String, ? extends @Nullable Object> delta) {
		sendChanged(this.output, collection, id, delta);
	}

	void forwardRemoved(String collection, String id) {
		this.output.removed(collection, id);
	}

	// Sending, for the collection views: held back during a user change

	void sendAdded(String collection, String id, Map<String, @Nullable Object> fields) {
		if (!this.silent) {
			this.output.added(collection, id, fields);
		}
	}

	void send(SharedMessage message) {
		if (!this.silent && !message.isEmpty()) {
			this.output.send(message);
		}
	}

	void sendChanged(String collection, String id, Map<String, ? extends @Nullable Object> delta) {
		if (!this.silent) {
			sendChanged(this.output, collection, id, delta);
		}
	}

	void sendRemoved(String collection, String id) {
		if (!this.silent) {
			this.output.removed(collection, id);
		}
	}

	/**
	 * Send a delta as {@code changed}, with {@link #UNDEFINED} fields as cleared ones, or
	 * nothing if it is empty.
	 */
	private static void sendChanged(MergeBoxOutput output, String collection, String id,
			Map<String, ? extends @Nullable Object> delta) {
		if (delta.isEmpty()) {
			return;
		}
		output.send(SharedMessage.changed(null, collection, id, delta));
	}

	static Map<String, @Nullable Object> withoutUndefined(Map<String, ? extends @Nullable Object> fields) {
		if (!fields.containsValue(UNDEFINED)) {
			return Collections.<String, @Nullable Object>unmodifiableMap(fields);
		}
		Map<String, @Nullable Object> values = new LinkedHashMap<>();
		fields.forEach((key, value) -> {
			if (value != UNDEFINED) {
				values.put(key, value);
			}
		});
		return Collections.<String, @Nullable Object>unmodifiableMap(values);
	}

	/**
	 * The type of {@link #UNDEFINED}.
	 */
	private static final class Undefined {

		@Override
		public String toString() {
			return "undefined";
		}

	}

}
