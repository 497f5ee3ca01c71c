package io.ddp.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The steps a write takes through PostgreSQL before any DDP code sees it, timed one at a
 * time over JDBC from the runner, on the benchmark's database: the floor under the
 * propagation latency.
 * <ul>
 * <li><b>commit</b>: one autocommit {@code UPDATE} of a one-row table (the durable commit
 * every write pays);</li>
 * <li><b>NOTIFY round trip</b>: {@code pg_notify} committed on one connection until a
 * second connection that {@code LISTEN}s has it;</li>
 * <li><b>trigger path</b>: an {@code UPDATE} of one document of the store's table
 * {@code ddp_bench} (its version and notify triggers fire) until its notification arrives
 * on a listening connection;</li>
 * <li><b>fetch by id</b>: the store's query for the documents of a batch of
 * notifications, with one id.</li>
 * </ul>
 */
final class PostgresProbes {

	private PostgresProbes() {
	}

	/**
	 * One probe's latencies.
	 *
	 * @param name what was timed
	 * @param latency the latencies in µs
	 */
	record Probe(String name, Histogram latency) {
	}

	/**
	 * Time each step {@code rounds} times (after 50 unrecorded ones).
	 * @param url the database (with the store's table {@code ddp_bench} and document
	 * {@code p0})
	 * @param rounds the recorded rounds per probe
	 * @return the probes, in the order above
	 * @throws SQLException when a statement fails
	 */
	static List<Probe> run(String url, int rounds) throws SQLException {
		List<Probe> probes = new ArrayList<>();
		try (Connection sender = DriverManager.getConnection(url, "postgres", "");
				Connection listener = DriverManager.getConnection(url, "postgres", "");
				Statement statement = sender.createStatement();
				Statement listen = listener.createStatement()) {
			statement.execute("CREATE TABLE IF NOT EXISTS bench_probe (id int PRIMARY KEY, n bigint NOT NULL)");
			statement.execute("INSERT INTO bench_probe VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
			listen.execute("LISTEN bench_probe");
			listen.execute("LISTEN ddp_bench");
			PGConnection pg = listener.unwrap(PGConnection.class);
			try (PreparedStatement update = sender.prepareStatement("UPDATE bench_probe SET n = ? WHERE id = 1")) {
				probes.add(new Probe("commit (one-row UPDATE, autocommit)", time(rounds, (i) -> {
					update.setLong(1, i);
					update.executeUpdate();
				})));
			}
			try (PreparedStatement notify = sender.prepareStatement("SELECT pg_notify('bench_probe', ?)")) {
				probes.add(new Probe("NOTIFY round trip (pg_notify committed, until the LISTENing connection has it)",
						time(rounds, (i) -> {
							notify.setString(1, Long.toString(i));
							notify.executeQuery().close();
							await(pg, "bench_probe");
						})));
			}
			try (PreparedStatement touch = sender
				.prepareStatement("UPDATE ddp_bench SET body = body WHERE _id = 'p0'")) {
				probes.add(new Probe("trigger path (UPDATE of a ddp_bench row until its NOTIFY arrives)",
						time(rounds, (i) -> {
							touch.executeUpdate();
							await(pg, "ddp_bench");
						})));
			}
			try (PreparedStatement fetch = sender.prepareStatement(
					"SELECT _id, version, body::text AS body " + "FROM ddp_bench WHERE _id = ANY(?::text[])")) {
				probes.add(new Probe("fetch by id (the store's query for a batch of notifications, 1 id)",
						time(rounds, (i) -> {
							fetch.setString(1, "{\"p" + (i % 100) + "\"}");
							try (ResultSet rs = fetch.executeQuery()) {
								if (!rs.next()) {
									throw new SQLException("document p" + (i % 100) + " is missing");
								}
							}
						})));
			}
			statement.execute("DROP TABLE bench_probe");
		}
		return probes;
	}

	private static void await(PGConnection pg, String channel) throws SQLException {
		long deadline = System.nanoTime() + 5_000_000_000L;
		while (System.nanoTime() < deadline) {
			PGNotification[] notifications = pg.getNotifications(1000);
			if (notifications != null) {
				for (PGNotification n : notifications) {
					if (n.getName().equals(channel)) {
						return;
					}
				}
			}
		}
		throw new SQLException("no notification on " + channel + " within 5 s");
	}

	private static Histogram time(int rounds, Step step) throws SQLException {
		Histogram h = new Histogram(60_000_000L, 3);
		for (int i = -50; i < rounds; i++) {
			long t0 = System.nanoTime();
			step.run(i + 50);
			long us = (System.nanoTime() - t0) / 1000;
			if (i >= 0) {
				h.recordValue(Math.min(us, 60_000_000L));
			}
		}
		return h;
	}

	@FunctionalInterface
	private interface Step {

		void run(long i) throws SQLException;

	}

}
