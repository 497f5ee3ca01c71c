package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.ratelimit.RateLimitInput;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The subscriptions of one session and the merge box that turns their publishing into the
 * session's data messages (ddp-protocol.md 4.2 to 4.5 and 4.9).
 *
 * <p>
 * Thread model: {@code sub}, {@code unsub} and universal starts arrive from the session's
 * queue; publications may publish from any thread. The merge box and the subscription
 * table are guarded by this object's monitor, and data frames are sent while holding it,
 * so the client sees them in the order the merge box produced them. Publication handlers
 * and {@code onStop} callbacks run without the monitor.
 *
 * @since 0.1.0
 */
public final class SessionSubscriptions implements MergeBoxOutput {

	private static final ArrayNode NO_PARAMS = JsonNodeFactory.instance.arrayNode();

	private static final DdpRateLimiter NO_LIMITS = new DdpRateLimiter();

	private final DdpPublicationRegistry registry;

	private final Ejson ejson;

	private final DdpFrames frames;

	private final Sender sender;

	private final ClientConnection connection;

	private final BiFunction<Throwable, String, DdpException> sanitizer;

	private DdpRateLimiter rateLimiter = NO_LIMITS;

	private MergeBox box;

	private int maxDocuments = Integer.MAX_VALUE;

	private Runnable documentLimitListener = () -> {
	};

	private final Map<String, Subscription> named = new LinkedHashMap<>();

	private final List<Subscription> universal = new ArrayList<>();

	// Collects the ids of re-run subscriptions that become ready during a user change.
	private @Nullable List<String> rerunReady;

	private boolean closed;

	/**
	 * Create the subscriptions of one session.
	 * @param registry the publications
	 * @param ejson the EJSON codec for arguments
	 * @param frames writes data frames
	 * @param sender sends a frame to the session's client
	 * @param connection the session's connection
	 * @param sanitizer turns a publication's exception into the client-safe error (second
	 * argument: a description for the log)
	 * @param strategies the publication strategy of each collection
	 */
	public SessionSubscriptions(DdpPublicationRegistry registry, Ejson ejson, DdpFrames frames, Sender sender,
			ClientConnection connection, BiFunction<Throwable, String, DdpException> sanitizer,
			Function<String, PublicationStrategy> strategies) {
		this.registry = registry;
		this.ejson = ejson;
		this.frames = frames;
		this.sender = sender;
		this.connection = connection;
		this.sanitizer = sanitizer;
		this.box = new MergeBox(this, strategies);
	}

	/**
	 * Bound the documents the merge box holds: a subscription that would add one more is
	 * stopped with {@code nosub} and a 429 error, and the session keeps working.
	 * Collections published with a strategy that keeps no documents are not counted.
	 * @param maxDocuments the most documents the merge box may hold
	 */
	public synchronized void setMaxDocuments(int maxDocuments) {
		setMaxDocuments(maxDocuments, () -> {
		});
	}

	/**
	 * Bound the documents the merge box holds, as {@link #setMaxDocuments(int)}, and be
	 * told of every subscription stopped for it.
	 * @param maxDocuments the most documents the merge box may hold
	 * @param listener called, without this object's monitor, each time a subscription is
	 * stopped at the limit
	 */
	public synchronized void setMaxDocuments(int maxDocuments, Runnable listener) {
		this.maxDocuments = maxDocuments;
		this.documentLimitListener = listener;
	}

	/**
	 * Limit the rate of this session's subscriptions.
	 * @param rateLimiter the server's rate limiter
	 */
	public void setRateLimiter(DdpRateLimiter rateLimiter) {
		this.rateLimiter = rateLimiter;
	}

	/**
	 * Handle a valid {@code sub}.
	 * @param id the subscription id
	 * @param name the publication name
	 * @param params the arguments, or {@code null}
	 * @param userId the session's user
	 * @param unblocker lets the session's next message start early
	 * @param done called once the publication's handler has finished
	 */
	public void subscribe(String id, String name, @Nullable ArrayNode params, @Nullable String userId,
			Runnable unblocker, Runnable done) {
		subscribe(id, name, params, userId, unblocker, done, DdpServerObserver.Operation.NONE);
	}

	/**
	 * Handle a valid {@code sub}, reporting its outcome.
	 * @param id the subscription id
	 * @param name the publication name
	 * @param params the arguments, or {@code null}
	 * @param userId the session's user
	 * @param unblocker lets the session's next message start early
	 * @param done called once the publication's handler has finished
	 * @param operation told when the subscription is ready, fails or stops
	 */
	public void subscribe(String id, String name, @Nullable ArrayNode params, @Nullable String userId,
			Runnable unblocker, Runnable done, DdpServerObserver.Operation operation) {
		DdpPublicationHandler handler = this.registry.find(name);
		if (handler == null) {
			// Before the duplicate check, as Meteor: a live id with an unknown name gets
			// a 404 nosub.
			DdpException notFound = new DdpException(404, "Subscription '" + name + "' not found");
			operation.failed(notFound);
			this.sender.send(this.frames.nosub(id, notFound));
			done.run();
			return;
		}
		Subscription subscription;
		synchronized (this) {
			if (this.closed || this.named.containsKey(id)) {
				// A live id is ignored: resubscribing after a reconnect is idempotent.
				operation.stopped();
				done.run();
				return;
			}
		}
		// After the duplicate check, as Meteor: a resent subscription costs nothing.
		DdpException limited = this.rateLimiter.reject(new RateLimitInput(RateLimitInput.Type.SUBSCRIPTION, name,
				userId, this.connection.id(), this.connection.clientAddress()));
		if (limited != null) {
			operation.failed(limited);
			this.sender.send(this.frames.nosub(id, limited));
			done.run();
			return;
		}
		synchronized (this) {
			if (this.closed || this.named.containsKey(id)) {
				operation.stopped();
				done.run();
				return;
			}
			subscription = new Subscription(this, id, name, handler, (params != null) ? params : NO_PARAMS, userId,
					unblocker, operation);
			this.named.put(id, subscription);
		}
		subscription.run(done);
	}

	/**
	 * Handle {@code unsub}: stop the subscription, or answer {@code nosub} for an unknown
	 * id.
	 * @param id the subscription id, {@code null} when the message had none
	 */
	public void unsubscribe(@Nullable String id) {
		Subscription subscription;
		synchronized (this) {
			subscription = (id != null) ? this.named.get(id) : null;
		}
		if (subscription != null) {
			subscription.stop();
		}
		else {
			this.sender.send(this.frames.nosub(id, null));
		}
	}

	/**
	 * Start a universal publication for this session.
	 * @param handler the publication
	 * @param userId the session's user
	 */
	public void startUniversal(DdpPublicationHandler handler, @Nullable String userId) {
		Subscription subscription;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			subscription = new Subscription(this, null, null, handler, NO_PARAMS, userId, () -> {
			}, DdpServerObserver.Operation.NONE);
			this.universal.add(subscription);
		}
		subscription.run(() -> {
		});
	}

	/**
	 * Rerun every subscription for a new user and send the client only the difference,
	 * then one {@code ready} for the re-run subscriptions that became ready (4.9). Runs
	 * on the calling method's thread, so it all precedes the method's {@code result}.
	 * @param userId the new user
	 */
	public void userChanged(@Nullable String userId) {
		List<Subscription> previous;
		List<Subscription> rerun = new ArrayList<>();
		MergeBox before;
		synchronized (this) {
			if (this.closed) {
				return;
			}
			previous = new ArrayList<>(this.named.values());
			previous.addAll(this.universal);
			previous.forEach(Subscription::deactivate);
			before = this.box;
			this.box = before.startUserChange();
			this.rerunReady = new ArrayList<>();
			this.named.clear();
			this.universal.clear();
			for (Subscription old : previous) {
				Subscription again = old.rerunFor(userId);
				if (again.id() != null) {
					this.named.put(again.id(), again);
				}
				else {
					this.universal.add(again);
				}
				rerun.add(again);
			}
		}
		previous.forEach(Subscription::runStopCallbacks);
		rerun.forEach((subscription) -> subscription.run(() -> {
		}));
		synchronized (this) {
			this.box.completeUserChange(before);
			List<String> ready = this.rerunReady;
			this.rerunReady = null;
			if (ready != null && !ready.isEmpty()) {
				this.sender.send(this.frames.ready(ready));
			}
		}
	}

	/**
	 * The session closed: deactivate every subscription without sending anything.
	 */
	public void close() {
		List<Subscription> all;
		synchronized (this) {
			this.closed = true;
			all = new ArrayList<>(this.named.values());
			all.addAll(this.universal);
			this.named.clear();
			this.universal.clear();
			all.forEach(Subscription::deactivate);
		}
		all.forEach(Subscription::runStopCallbacks);
		all.forEach(Subscription::sessionClosed);
	}

	/**
	 * Return the ids of the active named subscriptions.
	 * @return a snapshot of the ids
	 */
	public synchronized List<String> subscriptionIds() {
		return List.copyOf(this.named.keySet());
	}

	/**
	 * Return the number of live named subscriptions.
	 * @return the count
	 */
	public synchronized int subscriptionCount() {
		return this.named.size();
	}

	/**
	 * Whether a named subscription with the given id is live.
	 * @param id the subscription id
	 * @return whether it is
	 */
	public synchronized boolean hasSubscription(String id) {
		return this.named.containsKey(id);
	}

	/**
	 * Return the active named subscriptions.
	 * @return a snapshot of the publication names by subscription id
	 */
	public synchronized Map<String, String> subscriptionNames() {
		Map<String, String> names = new LinkedHashMap<>();
		this.named.forEach((id, subscription) -> names.put(id, String.valueOf(subscription.name())));
		return names;
	}

	/**
	 * Return the number of documents the merge box holds for the client.
	 * @return the count over all collections
	 */
	public synchronized int documentCount() {
		return this.box.documentCount();
	}

	// ---- called by Subscription, which holds no state of the merge box itself

	synchronized MergeBox box() {
		return this.box;
	}

	// Whether a subscription may add this document: one the box holds costs nothing.
	synchronized boolean admits(String collection, String id) {
		return this.box.documentCount() < this.maxDocuments || this.box.fields(collection, id) != null;
	}

	// A subscription is stopped at the document limit; called without the monitor.
	DdpException tooManyDocuments() {
		Runnable listener;
		synchronized (this) {
			listener = this.documentLimitListener;
		}
		listener.run();
		return new DdpException(429, "Too many documents");
	}

	synchronized boolean readyOrDefer(String id) {
		if (this.rerunReady != null) {
			this.rerunReady.add(id);
			return false;
		}
		return true;
	}

	synchronized void forget(Subscription subscription) {
		if (subscription.id() != null) {
			this.named.remove(subscription.id(), subscription);
		}
		else {
			this.universal.remove(subscription);
		}
	}

	Ejson ejson() {
		return this.ejson;
	}

	DdpFrames frames() {
		return this.frames;
	}

	ClientConnection connection() {
		return this.connection;
	}

	void send(String frame) {
		this.sender.send(frame);
	}

	DdpException sanitize(Throwable error, @Nullable String name) {
		return this.sanitizer.apply(error, (name != null) ? "publication '" + name + "'" : "universal publication");
	}

	// ---- MergeBoxOutput: called with this monitor held

	@Override
	public void added(String collection, String id, Map<String, @Nullable Object> fields) {
		this.sender.send(this.frames.added(collection, id, FieldMaps.nullable(fields)));
	}

	@Override
	public void changed(String collection, String id, Map<String, @Nullable Object> fields, List<String> cleared) {
		this.sender.send(this.frames.changed(collection, id, FieldMaps.nullable(fields), cleared));
	}

	@Override
	public void send(SharedMessage message) {
		this.sender.send(message.frame(this.frames));
	}

	@Override
	public void removed(String collection, String id) {
		this.sender.send(this.frames.removed(collection, id));
	}

	/**
	 * Sends frames to the session's client.
	 */
	@FunctionalInterface
	public interface Sender {

		/**
		 * Send a frame.
		 * @param frame the frame
		 */
		void send(String frame);

	}

}
