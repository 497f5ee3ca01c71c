package io.ddp.spring.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Commits the document writes that this instance's threads make at the same moment in one
 * transaction. Why: PostgreSQL serializes the commits of all transactions that send
 * {@code NOTIFY} (every write here does, from its trigger), holding that lock through the
 * commit's WAL flush; writes committed one by one so wait for each other's flush, and a
 * slow flush makes a queue. In one transaction they share one lock and one flush.
 * <p>
 * A write alone runs as before, one statement in its own transaction on a pooled
 * connection. A writer that arrives while a group is committing queues; when the group is
 * done, the oldest queued writer runs everything queued (at most {@link #MAX_GROUP}) on
 * one connection, in order of table and id so that groups of several instances lock rows
 * in one order, and commits. The group's statements go to the database together, in one
 * round trip: under a backlog the group's time is its commit's, not one network and
 * scheduling delay per write. Each write's statement must report its outcome in its
 * result (no row for a duplicate id or a changed version), not by failing: a statement
 * that does fail rolls the group back, and its writes then run one by one, each with its
 * own outcome. A caller inside a Spring-managed transaction writes on that transaction's
 * connection, never in a group.
 * <p>
 * <b>Threads.</b> Any thread may call {@link #write}; it returns once its statement
 * committed or failed. The statements of a group run on its leader's thread; waiting
 * writers are parked on this object's monitor and ignore interrupts (the write may be
 * committing), restoring the interrupt status when they return.
 *
 * @since 0.1.0
 */
final class GroupCommit {

	private static final Log logger = LogFactory.getLog(GroupCommit.class);

	// Bounds the time a group holds its rows' locks and its leader's thread
	static final int MAX_GROUP = 32;

	private static final Comparator<Pending<?>> LOCK_ORDER = Comparator.<Pending<?>, String>comparing((p) -> p.table)
		.thenComparing((p) -> p.id);

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private volatile boolean enabled = true;

	private final LongAdder writes = new LongAdder();

	private final CommitCounts commits = new CommitCounts();

	// Guarded by this object's monitor
	private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();

	// Whether a group is being committed; when false the queue is empty
	private boolean leading;

	/**
	 * Create a group commit that writes through the given template, whose data source it
	 * takes connections from.
	 * @param template the stores' template
	 */
	GroupCommit(JdbcTemplate template) {
		this.template = template;
		this.jdbc = JdbcClient.create(template);
	}

	/**
	 * Set whether concurrent writes share a transaction; if not, each runs alone as it
	 * comes.
	 * @param enabled whether to group writes
	 */
	void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	boolean isEnabled() {
		return this.enabled;
	}

	/**
	 * Return how many writes were made, in a group or not.
	 */
	long writes() {
		return this.writes.sum();
	}

	/**
	 * Return how many transactions committed writes, a group counting once; writes made
	 * in a caller's transaction are not counted.
	 */
	long commits() {
		return this.commits.total();
	}

	/**
	 * Return how many of those {@link #commits()} committed a number of writes in a size
	 * class.
	 * @param groupSize one of {@link CommitCounts#GROUP_SIZES}
	 */
	long commits(String groupSize) {
		return this.commits.count(groupSize);
	}

	/**
	 * Run one write's statement, with other threads' concurrent writes when there are.
	 * @param table the table written
	 * @param id the document's id
	 * @param statement the statement, run with a client over the connection to use
	 * @param <R> the statement's result
	 * @return what the statement returned
	 * @throws DataAccessException if it failed (on its own)
	 */
	<R> @Nullable R write(String table, String id, Statement<R> statement) {
		this.writes.increment();
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			return statement.run(this.jdbc);
		}
		if (!this.enabled) {
			// Counted once committed, as a write alone in a group is
			R result = statement.run(this.jdbc);
			this.commits.committed(1);
			return result;
		}
		Pending<R> pending = new Pending<>(table, id, statement);
		boolean interrupted = false;
		synchronized (this) {
			this.queue.add(pending);
			if (!this.leading) {
				this.leading = true;
				pending.leads = true;
			}
			while (!pending.done && !pending.leads) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		if (!pending.done) {
			lead();
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
		return pending.result();
	}

	/**
	 * Commit the queued writes (the leader's own first among them) and hand the lead to
	 * the oldest writer that queued meanwhile.
	 */
	private void lead() {
		List<Pending<?>> group = new ArrayList<>();
		synchronized (this) {
			while (group.size() < MAX_GROUP && !this.queue.isEmpty()) {
				group.add(this.queue.poll());
			}
		}
		try {
			if (group.size() == 1) {
				group.get(0).runAlone(this.jdbc, this.commits);
			}
			else {
				commitTogether(group);
			}
		}
		finally {
			synchronized (this) {
				for (Pending<?> pending : group) {
					pending.done = true;
				}
				Pending<?> next = this.queue.peek();
				if (next != null) {
					next.leads = true;
				}
				else {
					this.leading = false;
				}
				notifyAll();
			}
		}
	}

	private void commitTogether(List<Pending<?>> group) {
		group.sort(LOCK_ORDER);
		boolean committed;
		try {
			committed = Objects.requireNonNull(this.template.execute((ConnectionCallback<Boolean>) (connection) -> {
				connection.setAutoCommit(false);
				try {
					try {
						runPipelined(connection, group);
					}
					catch (SQLException | RuntimeException ex) {
						connection.rollback();
						logger.debug("A group of " + group.size()
								+ " document writes failed and is rolled back; its writes run one by one", ex);
						return false;
					}
					connection.commit();
					this.commits.committed(group.size());
					return true;
				}
				finally {
					connection.setAutoCommit(true);
				}
			}));
		}
		catch (DataAccessException ex) {
			// The connection failed, maybe after the commit was sent: whether the writes
			// committed is unknown, as for a write alone whose connection fails, so
			// running them again could apply them twice
			for (Pending<?> pending : group) {
				pending.fail(ex);
			}
			return;
		}
		for (Pending<?> pending : group) {
			if (committed) {
				pending.committed();
			}
			else {
				pending.runAlone(this.jdbc, this.commits);
			}
		}
	}

	// The group's statements as one: the driver sends them all before it reads a reply,
	// so the group costs one round trip to the database, not one per write
	private static void runPipelined(Connection connection, List<Pending<?>> group) throws SQLException {
		StringBuilder sql = new StringBuilder();
		List<@Nullable Object> parameters = new ArrayList<>();
		for (Pending<?> pending : group) {
			if (!sql.isEmpty()) {
				sql.append(";\n");
			}
			sql.append(pending.statement.sql());
			parameters.addAll(pending.statement.parameters());
		}
		try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
			new ArgumentPreparedStatementSetter(parameters.toArray()).setValues(statement);
			statement.execute();
			for (int i = 0; i < group.size(); i++) {
				if (i > 0) {
					statement.getMoreResults();
				}
				try (ResultSet rows = statement.getResultSet()) {
					if (rows == null) {
						throw new SQLException("Statement " + (i + 1) + " of a group of " + group.size()
								+ " returned no rows to read its outcome from: " + group.get(i).statement.sql());
					}
					group.get(i).read(rows);
				}
			}
		}
	}

	@Override
	public synchronized String toString() {
		return "GroupCommit{enabled=" + this.enabled + ", leading=" + this.leading + ", queued=" + this.queue.size()
				+ "}";
	}

	/**
	 * One write's statement: a single SQL statement that reports its outcome in the row
	 * it returns ({@code RETURNING}), or in returning no row.
	 *
	 * @param sql the statement, with {@code ?} placeholders and no terminating semicolon
	 * @param parameters its parameters, in order (a {@code SqlParameterValue} for a typed
	 * null)
	 * @param row maps the row it returned
	 * @param <R> its outcome
	 */
	record Statement<R>(String sql, List<? extends @Nullable Object> parameters, RowMapper<R> row) {

		/**
		 * Run the statement alone.
		 * @param jdbc a client over the connection to use
		 * @return its outcome, {@code null} when it returned no row
		 */
		@Nullable R run(JdbcClient jdbc) {
			return jdbc.sql(this.sql).params(this.parameters).query(this.row).optional().orElse(null);
		}

		@Nullable R read(ResultSet rows) throws SQLException {
			return rows.next() ? this.row.mapRow(rows, 0) : null;
		}

	}

	/**
	 * A write waiting for its group; its fields are guarded by the group commit's
	 * monitor, its result is read by its writer after {@code done}.
	 */
	private static final class Pending<R> {

		final String table;

		final String id;

		final Statement<R> statement;

		boolean done;

		boolean leads;

		private @Nullable R result;

		private @Nullable RuntimeException failure;

		// Whether the write has a result or a failure
		private boolean outcome;

		Pending(String table, String id, Statement<R> statement) {
			this.table = table;
			this.id = id;
			this.statement = statement;
		}

		// In a group's transaction: its result counts once the group committed
		void read(ResultSet rows) throws SQLException {
			this.result = this.statement.read(rows);
		}

		void committed() {
			this.outcome = true;
		}

		void runAlone(JdbcClient client, CommitCounts commits) {
			try {
				this.result = this.statement.run(client);
				this.outcome = true;
				commits.committed(1);
			}
			catch (RuntimeException ex) {
				fail(ex);
			}
		}

		void fail(RuntimeException ex) {
			this.failure = ex;
			this.outcome = true;
		}

		@Nullable R result() {
			if (this.failure != null) {
				throw this.failure;
			}
			if (!this.outcome) {
				throw new IllegalStateException("The write of '" + this.id + "' in " + this.table
						+ " has no outcome: its group's leader failed");
			}
			return this.result;
		}

	}

}
