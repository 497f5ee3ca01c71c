package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.protocol.DocumentIds;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.method.MethodArguments;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ArrayNode;

/**
 * One running subscription: the {@link ServerSubscription} a publication publishes
 * through. Its merge-box calls and its state changes take the owning
 * {@link SessionSubscriptions}' monitor; its handler and stop callbacks run without it.
 */
final class Subscription implements ServerSubscription {

	private static final Log logger = LogFactory.getLog(Subscription.class);

	private final SessionSubscriptions owner;

	private final @Nullable String id;

	private final @Nullable String name;

	private final DdpPublicationHandler handler;

	private final ArrayNode params;

	private final @Nullable String userId;

	private final Runnable unblocker;

	private final SubscriptionHandle handle;

	private final DdpServerObserver.Operation operation;

	// Guarded by the owner's monitor.
	private boolean active = true;

	private boolean readySent;

	private final List<Runnable> stopCallbacks = new ArrayList<>(0);

	private boolean stopCallbacksRun;

	Subscription(SessionSubscriptions owner, @Nullable String id, @Nullable String name, DdpPublicationHandler handler,
			ArrayNode params, @Nullable String userId, Runnable unblocker, DdpServerObserver.Operation operation) {
		this.operation = operation;
		this.owner = owner;
		this.id = id;
		this.name = name;
		this.handler = handler;
		this.params = params;
		this.userId = userId;
		this.unblocker = unblocker;
		this.handle = (id != null) ? SubscriptionHandle.named(id)
				: SubscriptionHandle.universal(Integer.toHexString(System.identityHashCode(this)));
	}

	Subscription rerunFor(@Nullable String newUserId) {
		return new Subscription(this.owner, this.id, this.name, this.handler, this.params, newUserId, () -> {
		}, this.operation);
	}

	/**
	 * Run the publication's handler; {@code done} runs once it (and its future) finished.
	 */
	void run(Runnable done) {
		Object result;
		try (DdpServerObserver.Scope scope = this.operation.openScope()) {
			result = this.handler.publish(this, MethodArguments.of(this.params, this.owner.ejson()));
		}
		catch (Throwable ex) {
			error(ex);
			done.run();
			return;
		}
		if (result instanceof CompletionStage<?> stage) {
			stage.whenComplete((value, error) -> {
				finished(value, error);
				done.run();
			});
		}
		else {
			finished(result, null);
			done.run();
		}
	}

	private void finished(@Nullable Object result, @Nullable Throwable error) {
		if (error != null) {
			error(error);
			return;
		}
		if (result == null) {
			return;
		}
		try {
			for (PublishableCursor cursor : cursors(result)) {
				cursor.publish(new Publisher(cursor.collectionName()));
			}
		}
		catch (Throwable ex) {
			error(ex);
			return;
		}
		// After the initial documents of every cursor
		ready();
	}

	/**
	 * Meteor's rules for a publish function's return value
	 * ({@code _publishHandlerResult}, ddp-protocol.md 4.2); its plain errors reach the
	 * client as 500.
	 */
	private static List<PublishableCursor> cursors(Object result) {
		if (result instanceof PublishableCursor cursor) {
			return List.of(cursor);
		}
		Collection<?> values = (result instanceof Collection<?> collection) ? collection
				: (result instanceof Object[] array) ? Arrays.asList(array) : null;
		if (values == null) {
			throw new IllegalStateException("Publish function can only return a Cursor or an array of Cursors");
		}
		List<PublishableCursor> cursors = new ArrayList<>(values.size());
		for (Object value : values) {
			if (!(value instanceof PublishableCursor cursor)) {
				throw new IllegalStateException("Publish function returned an array of non-Cursors");
			}
			cursors.add(cursor);
		}
		Set<String> collections = new HashSet<>();
		for (PublishableCursor cursor : cursors) {
			if (!collections.add(cursor.collectionName())) {
				throw new IllegalStateException(
						"Publish function returned multiple cursors for collection " + cursor.collectionName());
			}
		}
		return cursors;
	}

	@Override
	public @Nullable String id() {
		return this.id;
	}

	@Override
	public @Nullable String name() {
		return this.name;
	}

	@Override
	public void added(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
		synchronized (this.owner) {
			if (!this.active) {
				return;
			}
			String documentId = DocumentIds.stringify(id);
			if (this.owner.admits(collection, documentId)) {
				this.owner.box().added(this.handle, collection, documentId, fields);
				return;
			}
		}
		end(this.owner.tooManyDocuments());
	}

	@Override
	public void changed(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
		Map<String, @Nullable Object> delta = new LinkedHashMap<>(fields);
		// The user-facing API clears a field with null, the merge box with UNDEFINED.
		delta.replaceAll((field, value) -> (value != null) ? value : MergeBox.UNDEFINED);
		synchronized (this.owner) {
			if (this.active) {
				this.owner.box().changed(this.handle, collection, DocumentIds.stringify(id), FieldMaps.nullable(delta));
			}
		}
	}

	@Override
	public void removed(String collection, Object id) {
		synchronized (this.owner) {
			if (this.active) {
				this.owner.box().removed(this.handle, collection, DocumentIds.stringify(id));
			}
		}
	}

	@Override
	public void ready() {
		synchronized (this.owner) {
			if (!this.active || this.id == null || this.readySent) {
				return;
			}
			this.readySent = true;
			if (this.owner.readyOrDefer(this.id)) {
				this.owner.send(this.owner.frames().ready(List.of(this.id)));
			}
		}
		this.operation.succeeded();
	}

	@Override
	public void error(Throwable error) {
		end(error);
	}

	@Override
	public void stop() {
		end(null);
	}

	// Withdraw the documents, run onStop, then nosub: Meteor's order (4.4).
	private void end(@Nullable Throwable error) {
		synchronized (this.owner) {
			if (!this.active) {
				return;
			}
			this.active = false;
			this.owner.box().removeSubscription(this.handle);
			this.owner.forget(this);
		}
		runStopCallbacks();
		if (error != null) {
			this.operation.failed(error);
		}
		else {
			this.operation.stopped();
		}
		if (this.id != null) {
			this.owner.send(
					this.owner.frames().nosub(this.id, (error != null) ? this.owner.sanitize(error, this.name) : null));
		}
		else if (error != null) {
			this.owner.send(this.owner.frames().nosub(null, this.owner.sanitize(error, null)));
		}
	}

	/**
	 * Stop taking calls without withdrawing anything (session closed or user changed).
	 * Called with the owner's monitor held.
	 */
	void deactivate() {
		this.active = false;
	}

	void sessionClosed() {
		this.operation.stopped();
	}

	void runStopCallbacks() {
		List<Runnable> callbacks;
		synchronized (this.owner) {
			if (this.stopCallbacksRun) {
				return;
			}
			this.stopCallbacksRun = true;
			callbacks = new ArrayList<>(this.stopCallbacks);
			this.stopCallbacks.clear();
		}
		callbacks.forEach(Subscription::runSafely);
	}

	@Override
	public void onStop(Runnable callback) {
		synchronized (this.owner) {
			if (!this.stopCallbacksRun) {
				this.stopCallbacks.add(callback);
				return;
			}
		}
		runSafely(callback);
	}

	private static void runSafely(Runnable callback) {
		try {
			callback.run();
		}
		catch (RuntimeException ex) {
			logger.error("DDP publication onStop callback failed", ex);
		}
	}

	@Override
	public boolean isActive() {
		synchronized (this.owner) {
			return this.active;
		}
	}

	@Override
	public @Nullable String userId() {
		return this.userId;
	}

	@Override
	public ClientConnection connection() {
		return this.owner.connection();
	}

	@Override
	public void unblock() {
		this.unblocker.run();
	}

	@Override
	public String toString() {
		return "Subscription[id=" + this.id + ", name=" + this.name + "]";
	}

	/**
	 * Publishes a cursor's shared snapshots into this subscription's merge box.
	 */
	private final class Publisher implements CollectionPublisher {

		private final String collection;

		Publisher(String collection) {
			this.collection = collection;
		}

		@Override
		public ServerSubscription subscription() {
			return Subscription.this;
		}

		@Override
		public String collectionName() {
			return this.collection;
		}

		@Override
		public void added(String id, DocumentSnapshot fields) {
			synchronized (Subscription.this.owner) {
				if (!Subscription.this.active) {
					return;
				}
				if (Subscription.this.owner.admits(this.collection, id)) {
					Subscription.this.owner.box().addedShared(Subscription.this.handle, this.collection, id, fields);
					return;
				}
			}
			end(Subscription.this.owner.tooManyDocuments());
		}

		@Override
		public void changed(String id, DocumentSnapshot fields) {
			synchronized (Subscription.this.owner) {
				if (Subscription.this.active) {
					Subscription.this.owner.box().changedShared(Subscription.this.handle, this.collection, id, fields);
				}
			}
		}

		@Override
		public void removed(String id) {
			synchronized (Subscription.this.owner) {
				if (Subscription.this.active) {
					Subscription.this.owner.box().removed(Subscription.this.handle, this.collection, id);
				}
			}
		}

	}

}
