package io.ddp.spring.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;

import io.ddp.spring.jdbc.GroupCommit.Statement;
import io.ddp.spring.server.method.WriteFence;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A write waiting for its group in a {@link GroupCommit}: its fields are guarded by the
 * group commit's monitor, its result is read by its writer after {@code done}.
 *
 * @param <R> what its statement returns
 */
final class PendingWrite<R> {

	final String table;

	final String id;

	final Statement<R> statement;

	boolean done;

	boolean leads;

	private @Nullable R result;

	private @Nullable RuntimeException failure;

	// Whether the write has a result or a failure
	private boolean outcome;

	// The fence of the DDP call that made the write, when its result can wait for the
	// flush instead of the writer
	final @Nullable WriteFence fence;

	PendingWrite(String table, String id, Statement<R> statement, @Nullable WriteFence fence) {
		this.table = table;
		this.id = id;
		this.statement = statement;
		this.fence = fence;
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

	// Committed and visible, but the barrier after it failed
	void unflushed(RuntimeException ex) {
		fail(new DataAccessResourceFailureException("The write of '" + this.id + "' in " + this.table
				+ " committed, but whether it reached the disk is unknown: the flush that follows the commit "
				+ "failed (" + ex.getMessage() + ")", ex));
	}

	@Nullable R result() {
		if (this.failure != null) {
			throw this.failure;
		}
		if (!this.outcome) {
			throw new IllegalStateException(
					"The write of '" + this.id + "' in " + this.table + " has no outcome: its group's leader failed");
		}
		return this.result;
	}

}
