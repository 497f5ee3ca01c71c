package io.ddp.spring.jdbc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.GroupCommit.Statement;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.method.NoSessionContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GroupCommit}, against a real PostgreSQL: each write's statement
 * returns the id of the transaction it ran in, so the tests see which writes committed
 * together.
 */
class GroupCommitTests {

	private static DataSource dataSource;

	private final ExecutorService writers = Executors.newFixedThreadPool(8);

	private GroupCommit group;

	@BeforeAll
	static void database() {
		dataSource = PostgresServer.shared().createDatabase("groups");
		JdbcClient.create(dataSource)
			.sql("CREATE TABLE written (id text PRIMARY KEY, n int CHECK (n >= 0), tx bigint)")
			.update();
	}

	@BeforeEach
	void empty() {
		sql().sql("TRUNCATE written").update();
		this.group = new GroupCommit(new JdbcTemplate(dataSource));
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.writers.shutdownNow();
		assertThat(this.writers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void writesThatArriveWhileAGroupCommitsCommitTogether() {
		// The first write holds its group for a second; the five that come meanwhile
		// queue
		CompletableFuture<Long> first = write("slow", 1, 1);
		awaitActiveStatement("pg_sleep");
		List<CompletableFuture<Long>> queued = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			queued.add(write("q" + i, i, 0));
		}
		await().until(() -> this.group.toString().contains("queued=5"));
		long lone = first.join();
		Set<Long> transactions = new HashSet<>();
		queued.forEach((write) -> transactions.add(write.join()));
		assertThat(transactions).hasSize(1).doesNotContain(lone);
		assertThat(rows()).containsExactlyInAnyOrder("slow", "q0", "q1", "q2", "q3", "q4");
		assertThat(this.group.writes()).isEqualTo(6);
		assertThat(this.group.commits()).isEqualTo(2);
		assertThat(this.group.commits("1")).isEqualTo(1);
		assertThat(this.group.commits("4-7")).isEqualTo(1);
	}

	@Test
	void eachWriteOfAGroupGetsItsOwnStatementsOutcome() {
		CompletableFuture<Long> first = write("slow", 1, 1);
		awaitActiveStatement("pg_sleep");
		// Queued in an order other than the group's (table, id) order, some with no row
		CompletableFuture<@Nullable Long> update = statement("z",
				"UPDATE written SET n = n + 10 WHERE id = ? RETURNING n", "slow");
		CompletableFuture<@Nullable Long> duplicate = statement("slow",
				"INSERT INTO written (id, n) VALUES (?, 7) ON CONFLICT (id) DO NOTHING RETURNING n", "slow");
		CompletableFuture<@Nullable Long> insert = statement("m",
				"INSERT INTO written (id, n) VALUES (?, 5) ON CONFLICT (id) DO NOTHING RETURNING n", "m");
		CompletableFuture<@Nullable Long> missing = statement("a", "DELETE FROM written WHERE id = ? RETURNING n",
				"absent");
		await().until(() -> this.group.toString().contains("queued=4"));
		first.join();
		assertThat(update.join()).isEqualTo(11);
		assertThat(duplicate.join()).isNull();
		assertThat(insert.join()).isEqualTo(5);
		assertThat(missing.join()).isNull();
		assertThat(this.group.commits()).isEqualTo(2);
	}

	@Test
	void aFailingWriteFailsAloneAndTheRestOfItsGroupCommits() {
		CompletableFuture<Long> first = write("slow", 1, 1);
		awaitActiveStatement("pg_sleep");
		CompletableFuture<Long> before = write("a", 1, 0);
		CompletableFuture<Long> failing = write("b", -1, 0);
		CompletableFuture<Long> after = write("c", 1, 0);
		await().until(() -> this.group.toString().contains("queued=3"));
		first.join();
		assertThat(before.join()).isNotEqualTo(after.join());
		assertThat(failing).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(DataAccessException.class)
			.withMessageContaining("written_n_check");
		assertThat(rows()).containsExactlyInAnyOrder("slow", "a", "c");
		// The slow write, then a and c one by one; b committed nothing
		assertThat(this.group.writes()).isEqualTo(4);
		assertThat(this.group.commits()).isEqualTo(3);
		assertThat(this.group.commits("1")).isEqualTo(3);
	}

	@Test
	void manyConcurrentWritersAllCommitOnceInFewerTransactions() {
		List<CompletableFuture<Long>> writes = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			writes.add(write("w" + i, i, 0));
		}
		Set<Long> transactions = new HashSet<>();
		writes.forEach((write) -> transactions.add(write.join()));
		assertThat(sql().sql("SELECT count(*) FROM written").query(Long.class).single()).isEqualTo(400);
		// Eight writers, one connection each, commit in groups as soon as one waits
		assertThat(transactions).hasSizeLessThan(400);
	}

	@Test
	void aWriteInsideATransactionUsesThatTransaction() {
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		Long[] inside = new Long[2];
		transactions.executeWithoutResult((status) -> {
			inside[0] = insert("t1", 1, 0);
			inside[1] = insert("t2", 1, 0);
			status.setRollbackOnly();
		});
		assertThat(inside[0]).isEqualTo(inside[1]);
		assertThat(rows()).isEmpty();
	}

	@Test
	void disabledEveryWriteCommitsAlone() {
		this.group.setEnabled(false);
		CompletableFuture<Long> first = write("slow", 1, 1);
		awaitActiveStatement("pg_sleep");
		CompletableFuture<Long> a = write("a", 1, 0);
		CompletableFuture<Long> b = write("b", 1, 0);
		// Neither waits for the slow one
		assertThat(a.join()).isNotEqualTo(b.join());
		assertThat(first).isNotDone();
		first.join();
	}

	@Test
	void aGroupIsVisibleBeforeItsFlushAndItsWritersReturnAfterIt() throws Exception {
		FlushBarrierTests.Gate gate = new FlushBarrierTests.Gate();
		this.group = new GroupCommit(new JdbcTemplate(gate.dataSource(dataSource)));
		CompletableFuture<@Nullable String> a = commitMode("a");
		// The first write tries the barrier once before it relies on it
		gate.awaitArrivals(1);
		gate.open(1);
		gate.awaitArrivals(2);
		await().until(() -> rows().contains("a"));
		assertThat(a).isNotDone();
		// The next write commits while the first waits for the disk, then waits for a
		// barrier of its own: the running one began before it committed
		CompletableFuture<@Nullable String> b = commitMode("b");
		await().until(() -> rows().contains("b"));
		await().until(() -> this.group.toString().contains("requested=3,"));
		gate.open(1);
		assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("off");
		assertThat(b).isNotDone();
		gate.awaitArrivals(3);
		gate.open(1);
		assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("off");
		assertThat(this.group.flushes()).isEqualTo(3);
		assertThat(this.group.commits()).isEqualTo(2);
	}

	@Test
	void aDdpCallsWriteReturnsBeforeItsFlushAndItsResultWaitsForIt() {
		FlushBarrierTests.Gate gate = new FlushBarrierTests.Gate();
		this.group = new GroupCommit(new JdbcTemplate(gate.dataSource(dataSource)));
		gate.open(1);
		List<String> outcomes = new CopyOnWriteArrayList<>();
		MethodDispatcher dispatcher = dispatcher();
		// The method runs on this thread, and returns while its write's flush is held
		dispatcher.dispatch(new NoSessionContext(), "1", "write", params("a"), null, () -> {
		}, (result, fence) -> outcomes.add(result));
		assertThat(rows()).containsExactly("a");
		gate.awaitArrivals(2);
		assertThat(outcomes).isEmpty();
		gate.open(1);
		await().until(() -> outcomes.size() == 1);
		assertThat(outcomes.get(0)).contains("\"result\":\"off\"");
		// A flush that fails turns the call's result into the usual 500
		gate.failNext();
		gate.open(1);
		dispatcher.dispatch(new NoSessionContext(), "2", "write", params("b"), null, () -> {
		}, (result, fence) -> outcomes.add(result));
		await().until(() -> outcomes.size() == 2);
		assertThat(outcomes.get(1)).contains("\"error\":500").doesNotContain("\"result\":");
		assertThat(rows()).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void aWriteOutsideADdpCallWaitsForItsFlushItself() throws Exception {
		FlushBarrierTests.Gate gate = new FlushBarrierTests.Gate();
		this.group = new GroupCommit(new JdbcTemplate(gate.dataSource(dataSource)));
		gate.open(1);
		CompletableFuture<@Nullable String> write = commitMode("a");
		gate.awaitArrivals(2);
		await().until(() -> rows().contains("a"));
		assertThat(write).isNotDone();
		gate.open(1);
		assertThat(write.get(10, TimeUnit.SECONDS)).isEqualTo("off");
	}

	private MethodDispatcher dispatcher() {
		DdpMethodRegistry registry = new DdpMethodRegistry();
		registry.register("write", (invocation, arguments) -> {
			String id = Objects.requireNonNull(arguments.get(0, String.class));
			return this.group.write("written", id,
					new Statement<>(
							"INSERT INTO written (id, n) VALUES (?, 0) RETURNING current_setting('synchronous_commit')",
							List.of(id), (row, number) -> row.getString(1)));
		});
		return new MethodDispatcher(registry, Ejson.createDefault(), List.of());
	}

	private static ArrayNode params(String id) {
		return JsonNodeFactory.instance.arrayNode().add(id);
	}

	@Test
	void withoutNotifyBeforeFlushEveryCommitWaitsForItsFlush() {
		this.group.setNotifyBeforeFlush(false);
		assertThat(commitMode("a").join()).isEqualTo("on");
		assertThat(this.group.flushes()).isZero();
	}

	private CompletableFuture<@Nullable String> commitMode(String id) {
		return CompletableFuture.supplyAsync(() -> this.group.write("written", id,
				new Statement<>(
						"INSERT INTO written (id, n) VALUES (?, 0) RETURNING current_setting('synchronous_commit')",
						List.of(id), (row, number) -> row.getString(1))),
				this.writers);
	}

	private CompletableFuture<Long> write(String id, int n, double sleep) {
		return CompletableFuture.supplyAsync(() -> insert(id, n, sleep), this.writers);
	}

	private Long insert(String id, int n, double sleep) {
		Long tx = this.group.write("written", id,
				new Statement<>(
						"INSERT INTO written (id, n, tx) SELECT ?, ?, txid_current() FROM pg_sleep(?) RETURNING tx",
						List.of(id, n, sleep), (row, number) -> row.getLong(1)));
		assertThat(tx).isNotNull();
		return tx;
	}

	private CompletableFuture<@Nullable Long> statement(String id, String sql, String parameter) {
		return CompletableFuture.supplyAsync(() -> this.group.write("written", id,
				new Statement<>(sql, List.of(parameter), (row, number) -> row.getLong(1))), this.writers);
	}

	private void awaitActiveStatement(String text) {
		await().until(() -> sql().sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE ?")
			.param("%" + text + "(%")
			.query(Long.class)
			.single() > 0);
	}

	private List<String> rows() {
		return sql().sql("SELECT id FROM written").query(String.class).list();
	}

	private static JdbcClient sql() {
		return JdbcClient.create(dataSource);
	}

}
