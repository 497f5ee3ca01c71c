package io.ddp.spring.jdbc.testing;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests, a {@link PostgresCluster} from the binaries of
 * Debian's {@code postgresql} package: one per test JVM, started on first use in a
 * temporary directory on a free loopback port and stopped when the JVM exits. Each test
 * class takes its own database with {@link #createDatabase(String)}.
 * <p>
 * PostgreSQL refuses to run as root: when the tests run as root (CI), the server runs as
 * the {@code postgres} user through {@code runuser}. Without the binaries the tests fail,
 * naming the package to install; {@code -Dddp.test.postgres=skip} skips them instead.
 */
public final class PostgresServer {

	/**
	 * The system property that skips the PostgreSQL tests when set to {@code skip}.
	 */
	public static final String SKIP_PROPERTY = "ddp.test.postgres";

	// Tests need no durability; many test classes each hold a few connections
	private static final List<String> SETTINGS = List.of("fsync=off", "max_connections=200");

	private static final AtomicInteger databases = new AtomicInteger();

	private static PostgresServer shared;

	private final PostgresCluster cluster;

	private PostgresServer(PostgresCluster cluster) {
		this.cluster = cluster;
	}

	/**
	 * Return the server of this JVM, started on first use; skips the calling test when
	 * {@code -Dddp.test.postgres=skip}.
	 * @return the running server
	 */
	public static synchronized PostgresServer shared() {
		Assumptions.assumeFalse("skip".equals(System.getProperty(SKIP_PROPERTY)),
				"PostgreSQL tests skipped by -D" + SKIP_PROPERTY + "=skip");
		if (shared == null) {
			shared = start();
			PostgresServer server = shared;
			Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-stop"));
		}
		return shared;
	}

	private static PostgresServer start() {
		try {
			PostgresCluster cluster = PostgresCluster.create("ddp-postgres-", PostgresCluster.freePort(), SETTINGS);
			cluster.start();
			return new PostgresServer(cluster);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start PostgreSQL for the tests (skip these tests with -D"
					+ SKIP_PROPERTY + "=skip): " + ex.getMessage(), ex);
		}
	}

	/**
	 * Return the port the server listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.cluster.port();
	}

	/**
	 * Create a new empty database.
	 * @param prefix begins its name, for example the test class's simple name
	 * @return a data source for it (a new connection each time, user {@code postgres})
	 */
	public DataSource createDatabase(String prefix) {
		String name = (prefix.replaceAll("[^A-Za-z0-9_]", "_") + "_" + databases.incrementAndGet())
			.toLowerCase(Locale.ROOT);
		try (Connection connection = dataSource("postgres").getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + name + ": " + ex.getMessage(), ex);
		}
		return dataSource(name);
	}

	private DataSource dataSource(String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setServerNames(new String[] { "127.0.0.1" });
		dataSource.setPortNumbers(new int[] { port() });
		dataSource.setDatabaseName(database);
		dataSource.setUser("postgres");
		dataSource.setConnectTimeout(5);
		return dataSource;
	}

	/**
	 * Restart the server ({@code pg_ctl restart -m fast}): every connection is cut.
	 */
	public void restart() {
		control(this.cluster::restart);
	}

	/**
	 * Stop the server ({@code pg_ctl stop -m fast}).
	 */
	public void stopServer() {
		control(() -> this.cluster.stop("fast"));
	}

	/**
	 * Start the server again after {@link #stopServer()}.
	 */
	public void startServer() {
		control(this.cluster::start);
	}

	private void stop() {
		try {
			this.cluster.stop("immediate");
		}
		catch (IOException ex) {
			// Already stopped
		}
		try {
			this.cluster.delete();
		}
		catch (IOException ex) {
			// A temporary directory the system cleans
		}
	}

	private static void control(Command command) {
		try {
			command.run();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	private interface Command {

		void run() throws IOException;

	}

}
