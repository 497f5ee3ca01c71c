package io.ddp.spring.accounts.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.DuplicateUserException;
import io.ddp.spring.jdbc.ListenedChannel;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.SchemaScripts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A {@link DdpUserStore} in PostgreSQL (tables {@code ddp_users} and
 * {@code ddp_user_emails}): users outlive restarts and every instance sharing the
 * database sees them, as Meteor's {@code Meteor.users} collection is shared. Usernames
 * and e-mail addresses are unique ignoring case, enforced by the database, so two
 * instances creating the same username at once cannot both succeed. Passwords are kept as
 * the hashes the accounts give (bcrypt by default); the profile as JSONB.
 *
 * <p>
 * Updates reach the {@link #onChanged(Consumer) listeners} of every instance, so the
 * user's document a client sees stays live: this instance's own once they are committed,
 * and, with a {@link NotificationListener} and once {@link #start() started}, every
 * instance's. Triggers on the tables send a {@code NOTIFY} on channel {@value #CHANNEL}
 * for each change of a username, a profile or the e-mail addresses, and each removal,
 * also by plain SQL. After the listening connection was lost, the listeners are told that
 * changes may have been missed.
 *
 * <p>
 * The schema is {@value #SCHEMA_LOCATION} in this jar (for Flyway or Liquibase);
 * {@link #initializeSchema()} runs it.
 *
 * @since 0.1.0
 */
public class JdbcDdpUserStore implements DdpUserStore, InitializingBean, DisposableBean {

	/**
	 * The classpath location of the schema script.
	 */
	public static final String SCHEMA_LOCATION = "io/ddp/spring/accounts/jdbc/users-postgresql.sql";

	/**
	 * The notification channel of changed users.
	 */
	public static final String CHANNEL = "ddp_users";

	private static final Log logger = LogFactory.getLog(JdbcDdpUserStore.class);

	private static final String SELECT = "SELECT u.id, u.username, u.profile::text AS profile, u.roles,"
			+ " u.password_hash, u.created_at, ARRAY(SELECT e.address FROM ddp_user_emails e"
			+ " WHERE e.user_id = u.id ORDER BY e.position) AS emails FROM ddp_users u ";

	private static final TypeReference<Map<String, Object>> PROFILE = new TypeReference<>() {
	};

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json = JsonMapper.builder().build();

	private final RowMapper<DdpUser> users = this::user;

	private final @Nullable ListenedChannel changes;

	private final AtomicLong notifications = new AtomicLong();

	private final List<Consumer<@Nullable String>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Create a store that reports only the updates made through it.
	 * @param dataSource the PostgreSQL database
	 */
	public JdbcDdpUserStore(DataSource dataSource) {
		this(dataSource, null);
	}

	/**
	 * Create a store that also reports the changes every other instance makes, once
	 * {@link #start() started}.
	 * @param dataSource the PostgreSQL database
	 * @param listener the instance's listening connection, which its owner closes, or
	 * {@code null} to report only the updates made through this store
	 */
	public JdbcDdpUserStore(DataSource dataSource, @Nullable NotificationListener listener) {
		this.dataSource = Objects.requireNonNull(dataSource, "'dataSource' must not be null");
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.changes = (listener != null) ? new ListenedChannel(listener, CHANNEL, new NotificationListener.Handler() {

			@Override
			public void notified(List<String> payloads) {
				JdbcDdpUserStore.this.notifications.addAndGet(payloads.size());
				// one transaction's changes of a user arrive as one notification
				payloads.forEach(JdbcDdpUserStore.this::changed);
			}

			@Override
			public void resynchronize() {
				changed(null);
			}

		}) : null;
	}

	/**
	 * Start listening to changes made elsewhere; nothing without a
	 * {@link NotificationListener}.
	 */
	public void start() {
		if (this.changes != null) {
			this.changes.start();
		}
	}

	/**
	 * Stop listening to changes made elsewhere.
	 */
	public void stop() {
		if (this.changes != null) {
			this.changes.stop();
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
	 * Whether the listening connection listens to the users' channel, so changes made
	 * elsewhere arrive now.
	 * @return whether it listens
	 */
	public boolean isListening() {
		return this.changes != null && this.changes.isListening();
	}

	/**
	 * Return how many notifications of changed users arrived.
	 * @return the notifications
	 */
	public long getNotificationCount() {
		return this.notifications.get();
	}

	@Override
	public Runnable onChanged(Consumer<@Nullable String> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private void changed(@Nullable String userId) {
		for (Consumer<@Nullable String> listener : this.listeners) {
			try {
				listener.accept(userId);
			}
			catch (RuntimeException ex) {
				// the next listener and the next notification must still be told
				logger.warn("A listener of changed users failed for user " + userId, ex);
			}
		}
	}

	/**
	 * Create the tables and indexes if they are missing (idempotent, safe when several
	 * instances start at once).
	 */
	public void initializeSchema() {
		SchemaScripts.run(this.dataSource, SCHEMA_LOCATION);
	}

	@Override
	public @Nullable DdpUser findById(String id) {
		return this.jdbc.sql(SELECT + "WHERE u.id = ?").param(id).query(this.users).optional().orElse(null);
	}

	@Override
	public @Nullable DdpUser findByUsername(String username) {
		// The unique index makes the match ignoring case the only one
		return this.jdbc.sql(SELECT + "WHERE lower(u.username) = lower(?)")
			.param(username)
			.query(this.users)
			.optional()
			.orElse(null);
	}

	@Override
	public @Nullable DdpUser findByEmail(String email) {
		return this.jdbc
			.sql(SELECT + "WHERE u.id = (SELECT user_id FROM ddp_user_emails WHERE lower(address) = lower(?))")
			.param(email)
			.query(this.users)
			.optional()
			.orElse(null);
	}

	@Override
	public void create(DdpUser user) {
		write(() -> {
			this.jdbc
				.sql("INSERT INTO ddp_users (id, username, profile, roles, password_hash, created_at)"
						+ " VALUES (?, ?, ?::jsonb, ?, ?, ?)")
				.param(user.id())
				.param(user.username())
				.param(this.json.writeValueAsString(user.profile()))
				.param(roles(user))
				.param(user.passwordHash())
				.param(Timestamp.from(user.createdAt()))
				.update();
			insertEmails(user);
		});
	}

	@Override
	public void update(DdpUser user) {
		write(() -> {
			int updated = this.jdbc
				.sql("UPDATE ddp_users SET username = ?, profile = ?::jsonb, roles = ?, password_hash = ?,"
						+ " created_at = ? WHERE id = ?")
				.param(user.username())
				.param(this.json.writeValueAsString(user.profile()))
				.param(roles(user))
				.param(user.passwordHash())
				.param(Timestamp.from(user.createdAt()))
				.param(user.id())
				.update();
			if (updated == 0) {
				throw new IllegalArgumentException("No user with id '" + user.id() + "'");
			}
			List<String> stored = this.jdbc
				.sql("SELECT address FROM ddp_user_emails WHERE user_id = ? ORDER BY position")
				.param(user.id())
				.query(String.class)
				.list();
			// rewritten only when they differ: rewriting announces a change to every
			// instance
			if (!stored.equals(user.emails())) {
				this.jdbc.sql("DELETE FROM ddp_user_emails WHERE user_id = ?").param(user.id()).update();
				insertEmails(user);
			}
		});
		changed(user.id());
	}

	private void insertEmails(DdpUser user) {
		List<String> emails = user.emails();
		for (int i = 0; i < emails.size(); i++) {
			this.jdbc.sql("INSERT INTO ddp_user_emails (user_id, position, address) VALUES (?, ?, ?)")
				.params(user.id(), i, emails.get(i))
				.update();
		}
	}

	private void write(Runnable write) {
		try {
			this.transactions.executeWithoutResult((status) -> write.run());
		}
		catch (DuplicateKeyException ex) {
			String message = String.valueOf(ex.getMostSpecificCause().getMessage());
			if (message.contains("ddp_users_username_idx")) {
				throw new DuplicateUserException("Username already exists.");
			}
			if (message.contains("ddp_user_emails_address_idx")) {
				throw new DuplicateUserException("Email already exists.");
			}
			throw new DuplicateUserException("User id already exists.");
		}
	}

	private static String[] roles(DdpUser user) {
		return user.roles().stream().sorted().toArray(String[]::new);
	}

	private DdpUser user(ResultSet row, int rowNumber) throws SQLException {
		String profile = row.getString("profile");
		return new DdpUser(Objects.requireNonNull(row.getString("id")), row.getString("username"),
				List.of(strings(row.getArray("emails"))), this.json.readValue(profile, PROFILE),
				Set.copyOf(Arrays.asList(strings(row.getArray("roles")))), row.getString("password_hash"),
				row.getTimestamp("created_at").toInstant());
	}

	private static String[] strings(@Nullable Array array) throws SQLException {
		return (array != null) ? (String[]) array.getArray() : new String[0];
	}

	@Override
	public String toString() {
		return "JdbcDdpUserStore";
	}

}
