package io.ddp.spring.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import io.ddp.spring.server.method.WriteFence;
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
 * By default a group (a write alone too) commits with {@code synchronous_commit = off}
 * for its transaction: the commit returns and its notifications leave without waiting for
 * the flush, and the lock is released at once; the next group commits meanwhile. The
 * flush is awaited apart, by a {@link FlushBarrier} that started after the commit: a
 * write made by a DDP method returns at once and the method's result waits
 * ({@link WriteFence#beginFlush()}, barriers run by the {@link Flusher}); any other
 * writer waits for the barrier before it returns. So no write is acknowledged before it
 * is on disk. Other instances and readers may see a write a few milliseconds before it is
 * durable, as Meteor's servers see a MongoDB write in the oplog before it is journaled; a
 * database crash in that moment loses it, and listeners that reconnect then re-run their
 * queries.
 * <p>
 * <b>Threads.</b> Any thread may call {@link #write}; it returns once its statement
 * committed or failed (and, outside a DDP method, was flushed). The statements of a group
 * run on its leader's thread; waiting writers are parked on this object's monitor and
 * ignore interrupts (the write may be committing), restoring the interrupt status when
 * they return.
 *
 * @since 0.1.0
 */
final class GroupCommit {

	private static final Log logger = LogFactory.getLog(GroupCommit.class);

	// Bounds the time a group holds its rows' locks and its leader's thread
	static final int MAX_GROUP = 32;

	private static final String ASYNCHRONOUS_COMMIT = "SELECT set_config('synchronous_commit', 'off', true)";

	private static final Comparator<PendingWrite<?>> LOCK_ORDER = Comparator
		.<PendingWrite<?>, String>comparing((p) -> p.table)
		.thenComparing((p) -> p.id);

	private final JdbcClient jdbc;

	private final JdbcTemplate template;

	private final FlushBarrier barrier;

	private final Flusher flusher;

	private volatile boolean enabled = true;

	private volatile boolean notifyBeforeFlush = true;

	private final LongAdder writes = new LongAdder();

	private final CommitCounts commits = new CommitCounts();

	// Guarded by this object's monitor
	private final ArrayDeque<PendingWrite<?>> queue = new ArrayDeque<>();

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
		this.barrier = new FlushBarrier(template);
		this.flusher = new Flusher(this.barrier);
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
	 * Set whether a group commits without waiting for its flush to disk, so that its
	 * notifications leave at once; a {@link FlushBarrier} that follows the commit then
	 * holds the DDP calls' results, or the other writers themselves. Applies while
	 * grouping is enabled and the database runs the barrier.
	 * @param notifyBeforeFlush whether to notify before the flush
	 */
	void setNotifyBeforeFlush(boolean notifyBeforeFlush) {
		this.notifyBeforeFlush = notifyBeforeFlush;
	}

	boolean isNotifyBeforeFlush() {
		return this.notifyBeforeFlush;
	}

	/**
	 * Return how many flush barriers ran.
	 */
	long flushes() {
		return this.barrier.flushes();
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
		WriteFence fence = WriteFence.current();
		PendingWrite<R> pending = new PendingWrite<>(table, id, statement,
				(fence != null && fence.defersFlush()) ? fence : null);
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
	 * the oldest writer that queued meanwhile. Writes committed before their flush are
	 * handed over first and then wait for the barrier, so the next group commits while
	 * this one waits for the disk.
	 */
	private void lead() {
		List<PendingWrite<?>> group = new ArrayList<>();
		synchronized (this) {
			while (group.size() < MAX_GROUP && !this.queue.isEmpty()) {
				group.add(this.queue.poll());
			}
		}
		List<PendingWrite<?>> unflushed = List.of();
		try {
			if (this.notifyBeforeFlush && this.barrier.isAvailable()) {
				unflushed = commitTogether(group, true);
			}
			else if (group.size() == 1) {
				group.get(0).runAlone(this.jdbc, this.commits);
			}
			else {
				commitTogether(group, false);
			}
		}
		catch (RuntimeException | Error ex) {
			handOver(group, List.of());
			throw ex;
		}
		// A DDP call's write returns now and its result waits for the flush (on the
		// flushing thread); any other writer waits here
		List<PendingWrite<?>> waiting = new ArrayList<>(unflushed.size());
		List<WriteFence.Flush> deferred = new ArrayList<>(unflushed.size());
		for (PendingWrite<?> pending : unflushed) {
			WriteFence.Flush flush = (pending.fence != null) ? pending.fence.beginFlush() : null;
			if (flush != null) {
				deferred.add(flush);
			}
			else {
				waiting.add(pending);
			}
		}
		handOver(group, waiting);
		if (!deferred.isEmpty()) {
			this.flusher.flush(deferred);
		}
		if (!waiting.isEmpty()) {
			try {
				this.barrier.await();
			}
			catch (RuntimeException ex) {
				for (PendingWrite<?> pending : waiting) {
					pending.unflushed(ex);
				}
			}
			finally {
				synchronized (this) {
					for (PendingWrite<?> pending : waiting) {
						pending.done = true;
					}
					notifyAll();
				}
			}
		}
	}

	// Done, except the writes still waiting for their flush; the lead passes on
	private synchronized void handOver(List<PendingWrite<?>> group, List<PendingWrite<?>> unflushed) {
		// A set: looking each write up in a list is quadratic for large groups
		Set<PendingWrite<?>> waiting = Collections.newSetFromMap(new IdentityHashMap<>(unflushed.size() * 2));
		waiting.addAll(unflushed);
		for (PendingWrite<?> pending : group) {
			if (!waiting.contains(pending)) {
				pending.done = true;
			}
		}
		PendingWrite<?> next = this.queue.peek();
		if (next != null) {
			next.leads = true;
		}
		else {
			this.leading = false;
		}
		notifyAll();
	}

	// Returns the writes committed before their flush: all of them when the group
	// committed with beforeFlush, none when it ran one by one or failed
	private List<PendingWrite<?>> commitTogether(List<PendingWrite<?>> group, boolean beforeFlush) {
		group.sort(LOCK_ORDER);
		boolean committed;
		try {
			committed = Objects.requireNonNull(this.template.execute((ConnectionCallback<Boolean>) (connection) -> {
				connection.setAutoCommit(false);
				try {
					try {
						runPipelined(connection, group, beforeFlush);
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
			for (PendingWrite<?> pending : group) {
				pending.fail(ex);
			}
			return List.of();
		}
		for (PendingWrite<?> pending : group) {
			if (committed) {
				pending.committed();
			}
			else {
				pending.runAlone(this.jdbc, this.commits);
			}
		}
		return (committed && beforeFlush) ? group : List.of();
	}

	// The group's statements as one: the driver sends them all before it reads a reply,
	// so the group costs one round trip to the database, not one per write
	private static void runPipelined(Connection connection, List<PendingWrite<?>> group, boolean beforeFlush)
			throws SQLException {
		StringBuilder sql = new StringBuilder();
		List<@Nullable Object> parameters = new ArrayList<>();
		if (beforeFlush) {
			// This transaction only; the connection goes back to the pool as it came
			sql.append(ASYNCHRONOUS_COMMIT);
		}
		for (PendingWrite<?> pending : group) {
			if (!sql.isEmpty()) {
				sql.append(";\n");
			}
			sql.append(pending.statement.sql());
			parameters.addAll(pending.statement.parameters());
		}
		try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
			new ArgumentPreparedStatementSetter(parameters.toArray()).setValues(statement);
			statement.execute();
			if (beforeFlush) {
				statement.getMoreResults();
			}
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

	/**
	 * Stop the flushing thread once it has run what it was given; flushes asked for later
	 * run on the writer's thread.
	 */
	void close() {
		this.flusher.close();
	}

	@Override
	public synchronized String toString() {
		return "GroupCommit{enabled=" + this.enabled + ", notifyBeforeFlush=" + this.notifyBeforeFlush + ", leading="
				+ this.leading + ", queued=" + this.queue.size() + ", " + this.barrier + "}";
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

}
