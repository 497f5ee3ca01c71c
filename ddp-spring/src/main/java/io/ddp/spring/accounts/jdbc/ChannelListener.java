package io.ddp.spring.accounts.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Listens to one PostgreSQL notification channel on a dedicated connection, on a daemon
 * thread; reconnects with exponential backoff after the connection is lost and then calls
 * {@code onListening}, since notifications sent meanwhile are lost.
 */
final class ChannelListener {

	private static final Log logger = LogFactory.getLog(ChannelListener.class);

	private static final Duration POLL = Duration.ofMillis(500);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final DataSource dataSource;

	private final String channel;

	private final Consumer<String> payloads;

	private final Runnable onListening;

	private final Object monitor = new Object();

	private final AtomicLong reconnects = new AtomicLong();

	private final AtomicLong notifications = new AtomicLong();

	private volatile boolean listening;

	private volatile boolean running;

	private @Nullable Thread thread;

	ChannelListener(DataSource dataSource, String channel, Consumer<String> payloads, Runnable onListening) {
		this.dataSource = dataSource;
		this.channel = channel;
		this.payloads = payloads;
		this.onListening = onListening;
	}

	void start() {
		synchronized (this.monitor) {
			if (this.running) {
				return;
			}
			this.running = true;
			Thread thread = new Thread(this::run, "ddp-listen-" + this.channel);
			thread.setDaemon(true);
			thread.start();
			this.thread = thread;
		}
	}

	void stop() {
		Thread thread;
		synchronized (this.monitor) {
			this.running = false;
			thread = this.thread;
			this.thread = null;
			this.monitor.notifyAll();
		}
		if (thread != null) {
			try {
				thread.join(POLL.multipliedBy(4).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	boolean isListening() {
		return this.listening;
	}

	long reconnects() {
		return this.reconnects.get();
	}

	long notifications() {
		return this.notifications.get();
	}

	private void run() {
		Duration backoff = Duration.ofMillis(100);
		boolean first = true;
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				PGConnection postgres = connection.unwrap(PGConnection.class);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN " + this.channel);
				}
				if (!first) {
					this.reconnects.incrementAndGet();
					logger.info("Listening again to PostgreSQL channel '" + this.channel + "'");
				}
				first = false;
				this.listening = true;
				backoff = Duration.ofMillis(100);
				this.onListening.run();
				while (this.running) {
					PGNotification[] received = postgres.getNotifications((int) POLL.toMillis());
					if (received != null) {
						for (PGNotification notification : received) {
							this.notifications.incrementAndGet();
							deliver(notification.getParameter());
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (this.running) {
					logger.warn("Lost (or could not open) the PostgreSQL connection listening to channel '"
							+ this.channel + "'; retrying in " + backoff.toMillis()
							+ " ms. Check that the database is reachable: " + ex.getMessage());
				}
			}
			finally {
				this.listening = false;
			}
			pause(backoff);
			backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
		}
	}

	private void deliver(String payload) {
		try {
			this.payloads.accept(payload);
		}
		catch (RuntimeException ex) {
			logger.error("Handling a notification of PostgreSQL channel '" + this.channel + "' failed: " + payload, ex);
		}
	}

	private void pause(Duration duration) {
		synchronized (this.monitor) {
			if (!this.running) {
				return;
			}
			try {
				this.monitor.wait(duration.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
		}
	}

}
