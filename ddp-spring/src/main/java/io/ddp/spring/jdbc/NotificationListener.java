package io.ddp.spring.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.ddp.spring.collection.DocumentStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one connection per instance that LISTENs to the channels of the collection tables
 * (see {@link PostgresDocumentStores} for why NOTIFY), on a daemon thread: hands each
 * batch of notifications to the stores' listeners, in commit order; when the connection
 * is lost, reconnects with backoff and then has every listener re-read what it shows.
 */
final class NotificationListener {

	private static final Log logger = LogFactory.getLog(NotificationListener.class);

	private static final long MIN_BACKOFF_MILLIS = 100;

	private static final long MAX_BACKOFF_MILLIS = 5_000;

	// Checks a quiet connection this often, so that a silent network cut is found
	private static final long CHECK_MILLIS = 5_000;

	private static final int POLL_MILLIS = 250;

	private final DataSource dataSource;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Map<String, List<DocumentStore.Listener>> channels = new ConcurrentHashMap<>();

	// Listeners added since the thread last looked: LISTEN their channel, then
	// resynchronize
	private final Queue<Map.Entry<String, DocumentStore.Listener>> added = new ConcurrentLinkedQueue<>();

	private final Object monitor = new Object();

	private volatile boolean running = true;

	private volatile ListenerStatus status = new ListenerStatus(false, Instant.now(), 0, null);

	private @Nullable Thread thread;

	NotificationListener(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	Runnable listen(String channel, DocumentStore.Listener listener) {
		this.channels.computeIfAbsent(channel, (key) -> new CopyOnWriteArrayList<>()).add(listener);
		this.added.add(Map.entry(channel, listener));
		synchronized (this.monitor) {
			if (this.thread == null && this.running) {
				Thread thread = new Thread(this::run, "ddp-postgres-listener");
				thread.setDaemon(true);
				this.thread = thread;
				thread.start();
			}
		}
		return () -> {
			List<DocumentStore.Listener> listeners = this.channels.get(channel);
			if (listeners != null) {
				listeners.remove(listener);
			}
		};
	}

	ListenerStatus status() {
		return this.status;
	}

	void stop() {
		Thread thread;
		synchronized (this.monitor) {
			this.running = false;
			thread = this.thread;
			this.monitor.notifyAll();
		}
		if (thread != null) {
			thread.interrupt();
		}
	}

	private void run() {
		long backoff = MIN_BACKOFF_MILLIS;
		boolean connectedBefore = false;
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection();
					Statement statement = connection.createStatement()) {
				connection.setAutoCommit(true);
				PGConnection pg = connection.unwrap(PGConnection.class);
				this.added.clear();
				for (String channel : this.channels.keySet()) {
					statement.execute("LISTEN \"" + channel + "\"");
				}
				ListenerStatus last = this.status;
				this.status = new ListenerStatus(true, Instant.now(), last.reconnects() + (connectedBefore ? 1 : 0),
						last.lastError());
				if (connectedBefore) {
					logger.info("Listening again for changes to DDP collections in PostgreSQL; live queries re-read "
							+ "what they show");
				}
				// Changes made while nobody listened (down, or before the first LISTEN)
				this.channels.values().forEach((listeners) -> listeners.forEach(DocumentStore.Listener::resynchronize));
				connectedBefore = true;
				backoff = MIN_BACKOFF_MILLIS;
				listen(connection, statement, pg);
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					break;
				}
				ListenerStatus last = this.status;
				if (last.listening() || last.lastError() == null) {
					logger.warn("Lost the PostgreSQL connection that listens for changes to DDP collections ("
							+ ex.getMessage() + "); live queries miss other instances' and SQL writes until it "
							+ "reconnects, retrying with backoff up to " + MAX_BACKOFF_MILLIS + " ms");
				}
				this.status = new ListenerStatus(false, last.listening() ? Instant.now() : last.since(),
						last.reconnects(), String.valueOf(ex.getMessage()));
				pause(backoff);
				backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
			}
		}
		this.status = new ListenerStatus(false, Instant.now(), this.status.reconnects(), this.status.lastError());
	}

	private void listen(Connection connection, Statement statement, PGConnection pg) throws SQLException {
		long lastActivity = System.nanoTime();
		while (this.running) {
			Map.Entry<String, DocumentStore.Listener> entry;
			while ((entry = this.added.poll()) != null) {
				statement.execute("LISTEN \"" + entry.getKey() + "\"");
				entry.getValue().resynchronize();
			}
			PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
			if (notifications != null && notifications.length > 0) {
				dispatch(notifications);
				lastActivity = System.nanoTime();
			}
			else if (System.nanoTime() - lastActivity > CHECK_MILLIS * 1_000_000) {
				if (!connection.isValid(3)) {
					throw new SQLException("the connection is no longer valid");
				}
				lastActivity = System.nanoTime();
			}
		}
	}

	private void dispatch(PGNotification[] notifications) {
		Map<String, List<DocumentStore.ChangeNotice>> batches = new LinkedHashMap<>();
		Map<String, Boolean> resynchronize = new LinkedHashMap<>();
		for (PGNotification notification : notifications) {
			List<DocumentStore.ChangeNotice> batch = batches.computeIfAbsent(notification.getName(),
					(key) -> new ArrayList<>());
			DocumentStore.ChangeNotice notice = notice(notification.getParameter());
			if (notice != null) {
				batch.add(notice);
			}
			else {
				resynchronize.put(notification.getName(), true);
			}
		}
		batches.forEach((channel, batch) -> {
			List<DocumentStore.Listener> listeners = this.channels.getOrDefault(channel, List.of());
			for (DocumentStore.Listener listener : listeners) {
				if (!batch.isEmpty()) {
					listener.changed(batch);
				}
				if (resynchronize.containsKey(channel)) {
					listener.resynchronize();
				}
			}
		});
	}

	// ["<_id>", version, "i" | "u" | "d"]; null when the id did not fit the payload
	private DocumentStore.@Nullable ChangeNotice notice(String payload) {
		JsonNode node = this.json.readTree(payload);
		JsonNode id = node.get(0);
		if (id == null || !id.isString()) {
			return null;
		}
		return new DocumentStore.ChangeNotice(id.asString(), node.get(1).asLong(), "d".equals(node.get(2).asString()));
	}

	private void pause(long millis) {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			try {
				this.monitor.wait(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
		}
	}

}
