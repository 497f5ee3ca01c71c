package io.ddp.spring.client;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The listeners of one connection and their dispatch: connection events and document
 * changes to {@link DdpClientListener}s, changes of one collection to its collection
 * listeners, and the reconnect hooks. A failing listener is logged and the others still
 * run.
 *
 * <p>
 * Threads: listeners are added and removed on any thread (copy-on-write lists).
 * {@link #emit} and {@link #documentsChanged} may be called on any thread, usually under
 * the connection's lock; they only queue the delivery, which runs on the callback thread.
 * {@link #runReconnectHooks} runs on the callback thread itself.
 *
 * @since 0.1.0
 */
final class ClientListeners {

	private static final Log logger = LogFactory.getLog(ClientListeners.class);

	private final String connectionName;

	private final CallbackRunner callbacks;

	private final CopyOnWriteArrayList<DdpClientListener> listeners = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<Consumer<DdpConnection>> reconnectHooks = new CopyOnWriteArrayList<>();

	private final ConcurrentHashMap<String, CopyOnWriteArrayList<Consumer<DocumentChange>>> collectionListeners = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, CopyOnWriteArrayList<Runnable>> batchListeners = new ConcurrentHashMap<>();

	ClientListeners(String connectionName, CallbackRunner callbacks) {
		this.connectionName = connectionName;
		this.callbacks = callbacks;
	}

	AutoCloseable add(DdpClientListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	AutoCloseable addReconnectHook(Consumer<DdpConnection> hook) {
		this.reconnectHooks.add(hook);
		return () -> this.reconnectHooks.remove(hook);
	}

	AutoCloseable addCollectionListener(String collection, Consumer<DocumentChange> listener) {
		CopyOnWriteArrayList<Consumer<DocumentChange>> list = this.collectionListeners.computeIfAbsent(collection,
				(key) -> new CopyOnWriteArrayList<>());
		list.add(listener);
		return () -> list.remove(listener);
	}

	/**
	 * Add a listener run once after each batch of changes that touched the collection,
	 * and once at once, on the callback thread.
	 * @param collection the collection
	 * @param listener the listener
	 * @return a handle that removes it when closed
	 */
	AutoCloseable addBatchListener(String collection, Runnable listener) {
		CopyOnWriteArrayList<Runnable> list = this.batchListeners.computeIfAbsent(collection,
				(key) -> new CopyOnWriteArrayList<>());
		list.add(listener);
		this.callbacks.execute(() -> {
			if (list.contains(listener)) {
				runBatchListener(collection, listener);
			}
		});
		return () -> list.remove(listener);
	}

	/**
	 * Tell every listener of a connection event, on the callback thread.
	 * @param event the event
	 */
	void emit(Consumer<DdpClientListener> event) {
		if (this.listeners.isEmpty()) {
			return;
		}
		this.callbacks.execute(() -> {
			for (DdpClientListener listener : this.listeners) {
				try {
					event.accept(listener);
				}
				catch (RuntimeException ex) {
					logger.error("DDP client listener of connection '" + this.connectionName + "' failed", ex);
				}
			}
		});
	}

	/**
	 * Deliver document changes, in order, on the callback thread.
	 * @param changes the changes
	 */
	void documentsChanged(List<DocumentChange> changes) {
		if (!changes.isEmpty()) {
			this.callbacks.execute(() -> dispatchChanges(changes));
		}
	}

	private void dispatchChanges(List<DocumentChange> changes) {
		boolean watched = !this.batchListeners.isEmpty();
		Set<String> touched = watched ? new LinkedHashSet<>() : Set.of();
		for (DocumentChange change : changes) {
			if (watched) {
				touched.add(change.collection());
			}
			for (DdpClientListener listener : this.listeners) {
				try {
					switch (change.kind()) {
						case ADDED -> listener.added(change.collection(), change.id(), change.fields());
						case CHANGED ->
							listener.changed(change.collection(), change.id(), change.fields(), change.cleared());
						case REMOVED -> listener.removed(change.collection(), change.id());
					}
				}
				catch (RuntimeException ex) {
					logger.error("DDP client listener of connection '" + this.connectionName + "' failed", ex);
				}
			}
			List<Consumer<DocumentChange>> forCollection = this.collectionListeners.get(change.collection());
			if (forCollection != null) {
				for (Consumer<DocumentChange> listener : forCollection) {
					try {
						listener.accept(change);
					}
					catch (RuntimeException ex) {
						logger.error("DDP listener of collection '" + change.collection() + "' on connection '"
								+ this.connectionName + "' failed", ex);
					}
				}
			}
		}
		for (String collection : touched) {
			List<Runnable> listeners = this.batchListeners.get(collection);
			if (listeners != null) {
				for (Runnable listener : listeners) {
					runBatchListener(collection, listener);
				}
			}
		}
	}

	private void runBatchListener(String collection, Runnable listener) {
		try {
			listener.run();
		}
		catch (RuntimeException ex) {
			logger.error("DDP query listener of collection '" + collection + "' on connection '" + this.connectionName
					+ "' failed", ex);
		}
	}

	/**
	 * Run the reconnect hooks; on the callback thread.
	 * @param connection the connection handed to each hook
	 */
	void runReconnectHooks(DdpConnection connection) {
		for (Consumer<DdpConnection> hook : this.reconnectHooks) {
			try {
				hook.accept(connection);
			}
			catch (RuntimeException ex) {
				logger.error("DDP reconnect hook of connection '" + this.connectionName + "' failed", ex);
			}
		}
	}

}
