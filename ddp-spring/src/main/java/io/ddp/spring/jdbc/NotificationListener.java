package io.ddp.spring.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one PostgreSQL connection per instance that {@code LISTEN}s for what other writers
 * change: the channels of the collection tables ({@link PostgresDocumentStores}) and of
 * the login tokens, each with its {@link Handler}. A daemon thread, started by the first
 * {@link #listen(String, Handler)}, hands each batch of notifications of a channel to its
 * handlers in commit order. When the connection is lost (database restart, failover,
 * network cut, found within seconds on a quiet connection) it reconnects with backoff
 * (100 ms doubling to 5 s) and then calls every handler's
 * {@link Handler#resynchronize()}, since notifications sent meanwhile are lost.
 *
 * @since 0.1.0
 */
public final class NotificationListener implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(NotificationListener.class);

	private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private static final long MIN_BACKOFF_MILLIS = 100;

	private static final long MAX_BACKOFF_MILLIS = 5_000;

	// Checks a quiet connection this often, so that a silent network cut is found
	private static final long CHECK_MILLIS = 5_000;

	private static final int POLL_MILLIS = 250;

	private final DataSource dataSource;

	private final Map<String, List<Handler>> channels = new ConcurrentHashMap<>();

	// Handlers added since the thread last looked: LISTEN their channel, then
	// resynchronize them
	private final Queue<Map.Entry<String, Handler>> added = new ConcurrentLinkedQueue<>();

	private final AtomicLong notifications = new AtomicLong();

	// Channels the current connection has run LISTEN for: a channel listened to after
	// the connection opened is LISTENed on the thread's next turn, not at once.
	private final Set<String> listened = ConcurrentHashMap.newKeySet();

	private final Object monitor = new Object();

	private volatile boolean running = true;

	private volatile ListenerStatus status = new ListenerStatus(false, Instant.now(), 0, null);

	private @Nullable Thread thread;

	/**
	 * Create a listener; it opens its connection when the first channel is listened to.
	 * @param dataSource the database; the listener keeps one of its connections
	 */
	public NotificationListener(DataSource dataSource) {
		this.dataSource = Objects.requireNonNull(dataSource, "'dataSource' must not be null");
	}

	/**
	 * Listen to a channel. The handler's {@link Handler#resynchronize()} is called once
	 * the channel is listened to, and again after every reconnection.
	 * @param channel the channel: lower case letters, digits and underscores
	 * @param handler receives the channel's notifications, on the listener's thread
	 * @return stops handing notifications to this handler
	 * @throws IllegalArgumentException if the channel name is not of that form
	 */
	public Runnable listen(String channel, Handler handler) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("Channel name '" + channel
					+ "' must be lower case letters, digits and underscores, at most 63, not starting with a digit");
		}
		Objects.requireNonNull(handler, "'handler' must not be null");
		this.channels.computeIfAbsent(channel, (key) -> new CopyOnWriteArrayList<>()).add(handler);
		this.added.add(Map.entry(channel, handler));
		synchronized (this.monitor) {
			if (this.thread == null && this.running) {
				Thread thread = new Thread(this::run, "ddp-postgres-listener");
				thread.setDaemon(true);
				this.thread = thread;
				thread.start();
			}
		}
		return () -> {
			List<Handler> handlers = this.channels.get(channel);
			if (handlers != null) {
				handlers.remove(handler);
			}
		};
	}

	/**
	 * Return the state of the listening connection, for health and metrics.
	 * @return the status
	 */
	public ListenerStatus status() {
		return this.status;
	}

	/**
	 * Return whether the connection listens now (always {@code false} before the first
	 * channel is listened to).
	 * @return whether changes made elsewhere reach this instance now
	 */
	public boolean isListening() {
		return this.status.listening();
	}

	/**
	 * Return whether the connection listens to the given channel now: notifications sent
	 * on it from now on arrive.
	 * @param channel the channel
	 * @return whether the channel is listened to now
	 */
	public boolean isListening(String channel) {
		return this.status.listening() && this.listened.contains(channel);
	}

	/**
	 * Return how many notifications arrived, on every channel.
	 * @return the notifications
	 */
	public long notificationCount() {
		return this.notifications.get();
	}

	/**
	 * Stop listening and close the connection; the listener cannot be started again.
	 */
	@Override
	public void close() {
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
					statement.execute("LISTEN " + channel);
					this.listened.add(channel);
				}
				ListenerStatus last = this.status;
				this.status = new ListenerStatus(true, Instant.now(), last.reconnects() + (connectedBefore ? 1 : 0),
						last.lastError());
				if (connectedBefore) {
					logger.info("Listening again to PostgreSQL for changes made by other instances and by SQL; "
							+ "live queries re-read what they show and login tokens are checked again");
				}
				// Changes made while nobody listened (down, or before the first LISTEN)
				this.channels.values().forEach((handlers) -> handlers.forEach(this::resynchronize));
				connectedBefore = true;
				backoff = MIN_BACKOFF_MILLIS;
				Runnable undo = PromptNotifications.apply(pg);
				try {
					listen(connection, statement, pg);
				}
				finally {
					if (undo != null) {
						undo.run();
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					break;
				}
				ListenerStatus last = this.status;
				if (last.listening() || last.lastError() == null) {
					logger.warn("Lost the PostgreSQL connection that listens for changes made by other instances ("
							+ ex.getMessage() + "); live queries and logouts miss them until it reconnects, "
							+ "retrying with backoff up to " + MAX_BACKOFF_MILLIS + " ms; check that the database "
							+ "is reachable");
				}
				this.status = new ListenerStatus(false, last.listening() ? Instant.now() : last.since(),
						last.reconnects(), String.valueOf(ex.getMessage()));
				pause(backoff);
				backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
			}
			finally {
				// The next connection listens afresh
				this.listened.clear();
			}
		}
		this.status = new ListenerStatus(false, Instant.now(), this.status.reconnects(), this.status.lastError());
	}

	private void listen(Connection connection, Statement statement, PGConnection pg) throws SQLException {
		long lastActivity = System.nanoTime();
		while (this.running) {
			Map.Entry<String, Handler> entry;
			while ((entry = this.added.poll()) != null) {
				statement.execute("LISTEN " + entry.getKey());
				this.listened.add(entry.getKey());
				resynchronize(entry.getValue());
			}
			PGNotification[] received = pg.getNotifications(POLL_MILLIS);
			if (received != null && received.length > 0) {
				this.notifications.addAndGet(received.length);
				dispatch(received);
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

	private void dispatch(PGNotification[] received) {
		Map<String, List<String>> batches = new LinkedHashMap<>();
		for (PGNotification notification : received) {
			batches.computeIfAbsent(notification.getName(), (key) -> new ArrayList<>())
				.add(notification.getParameter());
		}
		batches.forEach((channel, payloads) -> {
			for (Handler handler : this.channels.getOrDefault(channel, List.of())) {
				try {
					handler.notified(payloads);
				}
				catch (RuntimeException ex) {
					logger.error("Handling notifications of PostgreSQL channel '" + channel + "' failed; what they "
							+ "tell is missed until the next reconnection: " + payloads, ex);
				}
			}
		});
	}

	// A failure (the database gone again) is thrown: the connection is opened again,
	// and every handler catches up then
	private void resynchronize(Handler handler) {
		handler.resynchronize();
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

	/**
	 * What a channel's notifications go to.
	 */
	public interface Handler {

		/**
		 * Handle a batch of notifications, in the order they were sent.
		 * @param payloads their payloads
		 */
		void notified(List<String> payloads);

		/**
		 * Catch up with notifications that may have been missed: the channel is listened
		 * to from now on (first listen or reconnection).
		 */
		void resynchronize();

	}

}
