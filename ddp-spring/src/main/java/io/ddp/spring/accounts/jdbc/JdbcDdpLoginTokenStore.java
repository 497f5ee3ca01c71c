package io.ddp.spring.accounts.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpLoginToken;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.jdbc.ListenedChannel;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.SchemaScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A {@link DdpLoginTokenStore} in PostgreSQL: tokens outlive restarts and every instance
 * sharing the database sees them, so a client resumes its login on any instance.
 *
 * <p>
 * Removals reach every instance: a trigger on the table sends a {@code NOTIFY} for each
 * deleted row (also for rows deleted by plain SQL), which this store receives on the
 * instance's listening connection ({@link NotificationListener}) and reports to its
 * {@link #onRemoved(Consumer) listeners}. An instance reports the removal of the tokens
 * it has stored or looked up, the only ones its connections can be logged in with, once
 * each. After the listening connection was lost it checks those tokens again, since
 * notifications sent meanwhile are lost.
 *
 * <p>
 * The schema is {@value #SCHEMA_LOCATION} in this jar (for Flyway or Liquibase);
 * {@link #initializeSchema()} runs it. {@link #start()} (or
 * {@link #afterPropertiesSet()}) starts listening.
 *
 * @since 0.1.0
 */
public class JdbcDdpLoginTokenStore implements DdpLoginTokenStore, InitializingBean, DisposableBean {

	/**
	 * The classpath location of the schema script.
	 */
	public static final String SCHEMA_LOCATION = "io/ddp/spring/accounts/jdbc/schema-postgresql.sql";

	/**
	 * The notification channel of removed tokens.
	 */
	public static final String CHANNEL = "ddp_login_tokens";

	private static final Log logger = LogFactory.getLog(JdbcDdpLoginTokenStore.class);

	private static final RowMapper<DdpLoginToken> TOKEN = JdbcDdpLoginTokenStore::token;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final NotificationListener listener;

	// Whether stop() closes the listener
	private final boolean ownListener;

	private final ListenedChannel removals;

	private final AtomicLong notifications = new AtomicLong();

	private final List<Consumer<DdpLoginToken>> listeners = new CopyOnWriteArrayList<>();

	/** Tokens this instance stored or looked up: the ones whose removal it reports. */
	private final Map<String, DdpLoginToken> known = new ConcurrentHashMap<>();

	/**
	 * Create a store with a listening connection of its own; call {@link #start()} to
	 * receive removals made by other instances.
	 * @param dataSource the PostgreSQL database
	 */
	public JdbcDdpLoginTokenStore(DataSource dataSource) {
		this(dataSource, new NotificationListener(dataSource), true);
	}

	/**
	 * Create a store that listens on the instance's shared listening connection; call
	 * {@link #start()} to receive removals made by other instances.
	 * @param dataSource the PostgreSQL database
	 * @param listener the instance's listening connection, which its owner closes
	 */
	public JdbcDdpLoginTokenStore(DataSource dataSource, NotificationListener listener) {
		this(dataSource, listener, false);
	}

	private JdbcDdpLoginTokenStore(DataSource dataSource, NotificationListener listener, boolean ownListener) {
		this.dataSource = Objects.requireNonNull(dataSource, "'dataSource' must not be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
		this.ownListener = ownListener;
		this.removals = new ListenedChannel(listener, CHANNEL, new NotificationListener.Handler() {

			@Override
			public void notified(List<String> payloads) {
				JdbcDdpLoginTokenStore.this.notifications.addAndGet(payloads.size());
				payloads.forEach(JdbcDdpLoginTokenStore.this::notified);
			}

			@Override
			public void resynchronize() {
				recheckKnown();
			}

		});
	}

	/**
	 * Create the table, its indexes and its trigger if they are missing (idempotent, safe
	 * when several instances start at once).
	 */
	public void initializeSchema() {
		SchemaScripts.run(this.dataSource, SCHEMA_LOCATION);
	}

	/**
	 * Start listening to removals made elsewhere.
	 */
	public void start() {
		this.removals.start();
	}

	/**
	 * Stop listening, and close the listening connection if this store opened it.
	 */
	public void stop() {
		this.removals.stop();
		if (this.ownListener) {
			this.listener.close();
		}
	}

	@Override
	public void afterPropertiesSet() {
		start();
	}

	@Override
	public void destroy() {
		stop();
	}

	/**
	 * Whether the listening connection listens to the tokens' channel, so removals made
	 * elsewhere arrive now.
	 * @return whether it listens
	 */
	public boolean isListening() {
		return this.removals.isListening();
	}

	/**
	 * Return how many times the listening connection was opened again after it was lost.
	 * @return the reconnections
	 */
	public long getReconnectCount() {
		return this.listener.status().reconnects();
	}

	/**
	 * Return how many notifications of removed tokens arrived.
	 * @return the notifications
	 */
	public long getNotificationCount() {
		return this.notifications.get();
	}

	@Override
	public void add(DdpLoginToken token) {
		this.jdbc
			.sql("INSERT INTO ddp_login_tokens (hashed_token, user_id, created_at) VALUES (?, ?, ?)"
					+ " ON CONFLICT (hashed_token) DO UPDATE SET user_id = EXCLUDED.user_id,"
					+ " created_at = EXCLUDED.created_at")
			.params(token.hashedToken(), token.userId(), Timestamp.from(token.createdAt()))
			.update();
		this.known.put(token.hashedToken(), token);
	}

	@Override
	public @Nullable DdpLoginToken findByHash(String hashedToken) {
		DdpLoginToken token = this.jdbc
			.sql("SELECT hashed_token, user_id, created_at FROM ddp_login_tokens WHERE hashed_token = ?")
			.param(hashedToken)
			.query(TOKEN)
			.optional()
			.orElse(null);
		if (token != null) {
			this.known.put(hashedToken, token);
		}
		return token;
	}

	@Override
	public List<DdpLoginToken> findByUser(String userId) {
		return this.jdbc
			.sql("SELECT hashed_token, user_id, created_at FROM ddp_login_tokens WHERE user_id = ?"
					+ " ORDER BY created_at")
			.param(userId)
			.query(TOKEN)
			.list();
	}

	@Override
	public boolean remove(String hashedToken) {
		return !removed(this.jdbc
			.sql("DELETE FROM ddp_login_tokens WHERE hashed_token = ? RETURNING hashed_token, user_id, created_at")
			.param(hashedToken)
			.query(TOKEN)
			.list()).isEmpty();
	}

	@Override
	public int removeOthers(String userId, @Nullable String keptHashedToken) {
		return removed(this.jdbc
			.sql("DELETE FROM ddp_login_tokens WHERE user_id = ? AND hashed_token <> ?"
					+ " RETURNING hashed_token, user_id, created_at")
			// no token has an empty hash
			.params(userId, (keptHashedToken != null) ? keptHashedToken : "")
			.query(TOKEN)
			.list()).size();
	}

	@Override
	public int removeCreatedBefore(Instant instant) {
		return removed(this.jdbc
			.sql("DELETE FROM ddp_login_tokens WHERE created_at < ? RETURNING hashed_token, user_id, created_at")
			.param(Timestamp.from(instant))
			.query(TOKEN)
			.list()).size();
	}

	@Override
	public Runnable onRemoved(Consumer<DdpLoginToken> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private List<DdpLoginToken> removed(List<DdpLoginToken> tokens) {
		// Reported now rather than on the notification's return, which may be late or
		// lost.
		tokens.forEach(this::report);
		return tokens;
	}

	private void notified(String payload) {
		String[] parts = payload.split(" ", 3);
		if (parts.length != 3) {
			logger.warn("Ignoring a malformed notification on channel '" + CHANNEL + "': " + payload
					+ "; is the trigger from another version of " + SCHEMA_LOCATION + "?");
			return;
		}
		report(new DdpLoginToken(parts[1], parts[2], Instant.ofEpochMilli(Long.parseLong(parts[0]))));
	}

	/** After a reconnection: the known tokens gone meanwhile were removed elsewhere. */
	private void recheckKnown() {
		if (this.known.isEmpty()) {
			return;
		}
		List<String> hashes = new ArrayList<>(this.known.keySet());
		List<String> present = this.jdbc.sql("SELECT hashed_token FROM ddp_login_tokens WHERE hashed_token = ANY (?)")
			.param(hashes.toArray(new String[0]))
			.query(String.class)
			.list();
		hashes.removeAll(present);
		for (String hash : hashes) {
			DdpLoginToken token = this.known.get(hash);
			if (token != null) {
				report(token);
			}
		}
	}

	private void report(DdpLoginToken token) {
		if (this.known.remove(token.hashedToken()) == null) {
			return;
		}
		for (Consumer<DdpLoginToken> listener : this.listeners) {
			try {
				listener.accept(token);
			}
			catch (RuntimeException ex) {
				logger.error("A listener of removed DDP login tokens failed; the connections of user '" + token.userId()
						+ "' using that token may stay logged in", ex);
			}
		}
	}

	private static DdpLoginToken token(ResultSet rs, int row) throws SQLException {
		Timestamp created = rs.getTimestamp("created_at");
		return new DdpLoginToken(rs.getString("hashed_token"), rs.getString("user_id"), created.toInstant());
	}

}
