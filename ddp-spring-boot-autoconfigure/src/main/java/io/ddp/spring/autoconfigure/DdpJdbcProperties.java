package io.ddp.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of what DDP keeps in the application's PostgreSQL database,
 * shared by every instance and kept across restarts.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ddp.jdbc")
public class DdpJdbcProperties {

	/**
	 * Whether DDP keeps its data in the application's DataSource (PostgreSQL) instead of
	 * in memory.
	 */
	private boolean enabled;

	/**
	 * When to create the tables, indexes and triggers: 'embedded' only for an embedded
	 * database (so never for PostgreSQL), 'always', or 'never' (the schema SQL in the jar
	 * is run by Flyway or Liquibase).
	 */
	private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

	private final Collections collections = new Collections();

	private final LoginTokens loginTokens = new LoginTokens();

	private final Users users = new Users();

	private final MethodDedup methodDedup = new MethodDedup();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public InitializeSchema getInitializeSchema() {
		return this.initializeSchema;
	}

	public void setInitializeSchema(InitializeSchema initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	public Collections getCollections() {
		return this.collections;
	}

	public LoginTokens getLoginTokens() {
		return this.loginTokens;
	}

	public Users getUsers() {
		return this.users;
	}

	public MethodDedup getMethodDedup() {
		return this.methodDedup;
	}

	/**
	 * When to create the schema.
	 */
	public enum InitializeSchema {

		/**
		 * Only for an embedded database.
		 */
		EMBEDDED,

		/**
		 * Always (the SQL is idempotent).
		 */
		ALWAYS,

		/**
		 * Never: the application creates it.
		 */
		NEVER

	}

	/**
	 * The application's collections.
	 */
	public static class Collections {

		/**
		 * Whether to offer PostgresDocumentStores, which the application's collections
		 * take their stores from (a table per collection).
		 */
		private boolean enabled = true;

		/**
		 * How many documents' latest versions each collection keeps in memory, so that
		 * updating one of them costs one compare-and-set instead of a read and a
		 * compare-and-set; 0 reads before every update.
		 */
		private int recentDocuments = 10_000;

		/**
		 * Whether the document writes that the instance makes at the same moment commit
		 * together in one transaction, each keeping its own outcome. PostgreSQL commits
		 * transactions that notify one at a time, each waiting for its flush to disk; a
		 * group shares that wait.
		 */
		private boolean groupCommit = true;

		/**
		 * Whether other instances are notified of a write as soon as it commits, before
		 * PostgreSQL has flushed it to disk (the transaction commits with
		 * synchronous_commit off); a DDP method's result and any other writer still wait
		 * until the write is on disk. Applies with group-commit. Needs EXECUTE on
		 * pg_logical_emit_message, which every role has by default; without it commits
		 * stay durable.
		 */
		private boolean notifyBeforeFlush = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getRecentDocuments() {
			return this.recentDocuments;
		}

		public boolean isGroupCommit() {
			return this.groupCommit;
		}

		public void setGroupCommit(boolean groupCommit) {
			this.groupCommit = groupCommit;
		}

		public boolean isNotifyBeforeFlush() {
			return this.notifyBeforeFlush;
		}

		public void setNotifyBeforeFlush(boolean notifyBeforeFlush) {
			this.notifyBeforeFlush = notifyBeforeFlush;
		}

		// Fails the binding; Boot's own message names only ddp.jdbc.collections
		public void setRecentDocuments(int recentDocuments) {
			if (recentDocuments < 0) {
				throw new IllegalArgumentException(
						"ddp.jdbc.collections.recent-documents must not be negative, was " + recentDocuments);
			}
			this.recentDocuments = recentDocuments;
		}

	}

	/**
	 * The resume tokens of the accounts.
	 */
	public static class LoginTokens {

		/**
		 * Whether the accounts' resume tokens live in the database (table
		 * ddp_login_tokens), so a client resumes its login on any instance and after a
		 * restart.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The user accounts.
	 */
	public static class Users {

		/**
		 * Whether the accounts' users live in the database (tables ddp_users and
		 * ddp_user_emails), so a user created on one instance logs in on any instance and
		 * after a restart.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The deduplication of resent method calls.
	 */
	public static class MethodDedup {

		/**
		 * Whether a method call that a logged-in client resends (after reconnecting,
		 * possibly to another instance) is answered with the stored result of its first
		 * run (table ddp_method_results). An aid, not exactly-once.
		 */
		private boolean enabled;

		/**
		 * How long a result answers resent calls.
		 */
		private Duration retention = Duration.ofMinutes(2);

		/**
		 * How long a resent call waits for a first run that is still going before it runs
		 * again.
		 */
		private Duration wait = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getWait() {
			return this.wait;
		}

		public void setWait(Duration wait) {
			this.wait = wait;
		}

	}

}
