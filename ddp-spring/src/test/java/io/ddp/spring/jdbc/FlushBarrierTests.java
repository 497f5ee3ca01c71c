package io.ddp.spring.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.testing.PostgresCluster;
import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link FlushBarrier} against a real PostgreSQL. The barrier's statement can
 * be held at a gate in front of the driver, so the tests decide when a barrier is
 * running.
 */
class FlushBarrierTests {

	private static PGSimpleDataSource database;

	private final ExecutorService callers = Executors.newFixedThreadPool(4);

	@BeforeAll
	static void database() {
		database = (PGSimpleDataSource) PostgresServer.shared().createDatabase("barrier");
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.callers.shutdownNow();
		assertThat(this.callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void eachBarrierWaitsForAFlushAndAsynchronousCommitsDoNot() throws Exception {
		// The shared server runs without fsync; this one counts its WAL flushes
		PostgresCluster cluster = PostgresCluster.create("ddp-barrier-", PostgresCluster.freePort(),
				List.of("fsync=on", "synchronous_commit=on"));
		try {
			cluster.start();
			PGSimpleDataSource durable = new PGSimpleDataSource();
			durable.setURL("jdbc:postgresql://127.0.0.1:" + cluster.port() + "/postgres");
			durable.setUser("postgres");
			JdbcClient sql = JdbcClient.create(durable);
			sql.sql("CREATE TABLE counted (id int PRIMARY KEY, n int)").update();
			sql.sql("INSERT INTO counted VALUES (1, 0)").update();
			FlushBarrier barrier = barrier(durable);
			assertThat(barrier.isAvailable()).isTrue();
			long before = walSyncs(sql);
			for (int i = 0; i < 40; i++) {
				commitAsynchronously(durable);
			}
			long afterCommits = walSyncs(sql);
			for (int i = 0; i < 40; i++) {
				barrier.await();
			}
			long afterBarriers = walSyncs(sql);
			// The WAL writer flushes asynchronous commits now and then, a few times a
			// second at most
			assertThat(afterCommits - before).isLessThan(20);
			assertThat(afterBarriers - afterCommits).isGreaterThanOrEqualTo(40);
			assertThat(barrier.flushes()).isEqualTo(41);
		}
		finally {
			cluster.stop("immediate");
			cluster.delete();
		}
	}

	private static void commitAsynchronously(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			connection.setAutoCommit(false);
			statement.execute("SET LOCAL synchronous_commit = off");
			statement.execute("UPDATE counted SET n = n + 1");
			connection.commit();
		}
	}

	// Counted by each backend and reported when it ends: one connection per statement
	// here, so a count includes every statement before it
	private static long walSyncs(JdbcClient sql) {
		return sql.sql("SELECT wal_sync FROM pg_stat_wal").query(Long.class).single();
	}

	@Test
	void callersThatArriveWhileABarrierRunsShareTheNextOne() throws Exception {
		Gate gate = new Gate();
		FlushBarrier barrier = barrier(gate.dataSource(database));
		CompletableFuture<Void> first = CompletableFuture.runAsync(barrier::await, this.callers);
		gate.awaitArrivals(1);
		CompletableFuture<Void> second = CompletableFuture.runAsync(barrier::await, this.callers);
		CompletableFuture<Void> third = CompletableFuture.runAsync(barrier::await, this.callers);
		await().until(() -> barrier.toString().contains("requested=3,"));
		// The first barrier began before they asked: it does not cover them
		gate.open(1);
		first.get(10, TimeUnit.SECONDS);
		assertThat(second).isNotDone();
		assertThat(third).isNotDone();
		gate.awaitArrivals(2);
		gate.open(1);
		CompletableFuture.allOf(second, third).get(10, TimeUnit.SECONDS);
		assertThat(barrier.flushes()).isEqualTo(2);
		assertThat(gate.arrivals.get()).isEqualTo(2);
	}

	@Test
	void aFailedBarrierFailsItsCallerAndTheNextTriesAgain() {
		FlushBarrier barrier = barrier(new DelegatingDataSource(database) {

			private final AtomicInteger calls = new AtomicInteger();

			@Override
			public Connection getConnection() throws SQLException {
				if (this.calls.getAndIncrement() == 1) {
					throw new SQLException("connection refused", "08001");
				}
				return super.getConnection();
			}

		});
		assertThat(barrier.isAvailable()).isTrue();
		assertThatExceptionOfType(DataAccessException.class).isThrownBy(barrier::await)
			.havingRootCause()
			.withMessage("connection refused");
		// Still available: only a refusal of the function turns it off
		assertThat(barrier.isAvailable()).isTrue();
		barrier.await();
		assertThat(barrier.flushes()).isEqualTo(2);
	}

	@Test
	void aRoleThatMayNotCallTheFunctionFindsItUnavailable() {
		JdbcClient admin = JdbcClient.create(database);
		admin.sql("DO $$ BEGIN CREATE ROLE ddp_no_flush LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
			.update();
		admin.sql("REVOKE EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) FROM PUBLIC").update();
		try {
			PGSimpleDataSource limited = new PGSimpleDataSource();
			limited.setURL(database.getURL());
			limited.setUser("ddp_no_flush");
			FlushBarrier barrier = barrier(limited);
			assertThat(barrier.isAvailable()).isFalse();
			assertThat(barrier.isAvailable()).isFalse();
			assertThat(barrier.flushes()).isZero();
		}
		finally {
			admin.sql("GRANT EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, text) TO PUBLIC").update();
		}
	}

	private static FlushBarrier barrier(DataSource dataSource) {
		return new FlushBarrier(new JdbcTemplate(dataSource));
	}

	/**
	 * Holds every barrier statement until let through, counting those that arrived.
	 */
	static final class Gate {

		final AtomicInteger arrivals = new AtomicInteger();

		private final Semaphore passes = new Semaphore(0);

		private final AtomicInteger failing = new AtomicInteger();

		void open(int barriers) {
			this.passes.release(barriers);
		}

		// The next barrier let through fails as a lost connection would
		void failNext() {
			this.failing.incrementAndGet();
		}

		void awaitArrivals(int count) {
			await().until(() -> this.arrivals.get() >= count);
		}

		DataSource dataSource(DataSource target) {
			return new DelegatingDataSource(target) {

				@Override
				public Connection getConnection() throws SQLException {
					Connection connection = super.getConnection();
					return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
							new Class<?>[] { Connection.class }, (proxy, method, args) -> {
								if (method.getName().equals("prepareStatement") && args != null
										&& FlushBarrier.SQL.equals(args[0])) {
									Gate.this.arrivals.incrementAndGet();
									Gate.this.passes.acquireUninterruptibly();
									if (Gate.this.failing.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
										throw new SQLException("connection lost", "08006");
									}
								}
								try {
									return method.invoke(connection, args);
								}
								catch (InvocationTargetException ex) {
									throw ex.getCause();
								}
							});
				}

			};
		}

	}

}
