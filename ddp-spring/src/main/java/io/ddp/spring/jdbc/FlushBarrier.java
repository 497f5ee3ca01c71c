package io.ddp.spring.jdbc;

import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Waits until everything committed so far is on disk, for transactions that committed
 * with {@code synchronous_commit = off}. PostgreSQL has no call that waits for a WAL
 * position to be flushed; a durable commit of a transaction that wrote WAL does, and
 * since WAL is flushed in order, it covers every commit before it. The smallest such
 * transaction writes one transactional logical message ({@code pg_logical_emit_message},
 * which any role may call at any {@code wal_level}; no decoding reads it).
 * <p>
 * Callers that arrive while a barrier runs share the next one: a barrier covers only the
 * commits that returned before it started. One barrier runs at a time.
 * <p>
 * <b>Threads.</b> Any thread may call {@link #await()}; it runs the barrier itself or
 * waits, ignoring interrupts (its commits' acknowledgement depends on it) and restoring
 * the interrupt status when it returns.
 */
final class FlushBarrier {

	private static final Log logger = LogFactory.getLog(FlushBarrier.class);

	static final String SQL = "SELECT pg_logical_emit_message(true, 'ddp.flush', '')";

	// The role may not call the function, or the database has none (not PostgreSQL)
	private static final String INSUFFICIENT_PRIVILEGE = "42501";

	private static final String UNDEFINED_FUNCTION = "42883";

	private final JdbcClient jdbc;

	private final LongAdder flushes = new LongAdder();

	// Guarded by this object's monitor: the tickets of callers that asked for a flush,
	// and how many of them a finished barrier covers
	private long requested;

	private long covered;

	private boolean running;

	// null while unknown: set by the first barrier that ran or was refused
	private volatile @Nullable Boolean available;

	FlushBarrier(JdbcTemplate template) {
		this.jdbc = JdbcClient.create(template);
	}

	/**
	 * Return whether the database runs the barrier, trying it the first time: a role that
	 * may not call {@code pg_logical_emit_message} makes every commit durable again,
	 * logged once.
	 * @return whether commits may skip their flush and rely on {@link #await()}
	 */
	boolean isAvailable() {
		Boolean available = this.available;
		if (available == null) {
			try {
				await();
			}
			catch (DataAccessException ex) {
				// Refused is recorded by await; anything else is tried again next time
			}
			available = this.available;
		}
		return Boolean.TRUE.equals(available);
	}

	/**
	 * Return how many barriers ran.
	 */
	long flushes() {
		return this.flushes.sum();
	}

	/**
	 * Wait until every transaction that committed before this call is flushed to disk.
	 * @throws DataAccessException if the barrier failed: whether those commits are on
	 * disk is then unknown
	 */
	void await() {
		boolean interrupted = false;
		try {
			long upTo;
			synchronized (this) {
				long ticket = ++this.requested;
				while (this.running && this.covered < ticket) {
					try {
						wait();
					}
					catch (InterruptedException ex) {
						interrupted = true;
					}
				}
				if (this.covered >= ticket) {
					return;
				}
				// None runs, or the one that ran failed: this caller runs the next
				this.running = true;
				upTo = this.requested;
			}
			boolean flushed = false;
			try {
				flush();
				flushed = true;
			}
			finally {
				synchronized (this) {
					this.running = false;
					if (flushed) {
						this.covered = Math.max(this.covered, upTo);
					}
					// After a failure each waiter tries again for itself
					notifyAll();
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void flush() {
		try {
			this.jdbc.sql(SQL).query().singleValue();
			this.flushes.increment();
			this.available = true;
		}
		catch (DataAccessException ex) {
			String state = sqlState(ex);
			if (this.available == null && (INSUFFICIENT_PRIVILEGE.equals(state) || UNDEFINED_FUNCTION.equals(state))) {
				this.available = false;
				logger.warn("Document writes commit durably before other instances are notified: the database "
						+ "refused the flush barrier '" + SQL + "' (" + ex.getMostSpecificCause().getMessage()
						+ "). Grant EXECUTE on pg_logical_emit_message(boolean, text, text) to the application's "
						+ "role, or set ddp.jdbc.collections.notify-before-flush=false to silence this");
			}
			throw ex;
		}
	}

	private static @Nullable String sqlState(DataAccessException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

	@Override
	public synchronized String toString() {
		return "FlushBarrier{available=" + this.available + ", requested=" + this.requested + ", covered="
				+ this.covered + ", running=" + this.running + ", flushes=" + this.flushes.sum() + "}";
	}

}
