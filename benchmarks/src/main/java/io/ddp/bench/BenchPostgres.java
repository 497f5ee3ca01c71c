package io.ddp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import io.ddp.spring.jdbc.testing.PostgresCluster;

/**
 * A PostgreSQL server for the propagation section: a fresh {@link PostgresCluster} (the
 * tests' own, from Debian's binaries, run as user {@code postgres} when the runner is
 * root) on a free loopback port. Its settings are PostgreSQL's defaults (durable commits)
 * plus {@code --pg-settings}. While it runs, {@code <log-dir>/postgres.dir} names its
 * directory and binaries, so that run.sh stops it even if the runner is killed.
 */
final class BenchPostgres implements AutoCloseable {

	private final PostgresCluster cluster;

	private final Path marker;

	private final Path logCopy;

	private final Thread hook = new Thread(this::stop, "bench-postgres-stop");

	private boolean stopped;

	private BenchPostgres(PostgresCluster cluster, Path logDir) {
		this.cluster = cluster;
		this.marker = logDir.resolve("postgres.dir");
		this.logCopy = logDir.resolve("postgres.log");
	}

	/**
	 * Start a fresh server.
	 * @param logDir where the marker file and, at the end, the server's log go
	 * @param settings extra {@code name=value} settings, space separated (may be empty)
	 * @return the running server
	 * @throws IOException when the binaries are missing or the server does not start
	 */
	static BenchPostgres start(Path logDir, String settings) throws IOException {
		List<String> extra = Arrays.stream(settings.trim().split("\\s+")).filter((s) -> !s.isEmpty()).toList();
		PostgresCluster cluster;
		try {
			cluster = PostgresCluster.create("ddp-bench-postgres-", PostgresCluster.freePort(), extra);
		}
		catch (IOException ex) {
			throw new IOException("the propagation section needs PostgreSQL: " + ex.getMessage(), ex);
		}
		BenchPostgres server = new BenchPostgres(cluster, logDir);
		Files.writeString(server.marker, cluster.directory() + "\n" + cluster.binaries() + "\n"
				+ (cluster.runsAsPostgresUser() ? "postgres" : "") + "\n");
		Runtime.getRuntime().addShutdownHook(server.hook);
		try {
			cluster.start();
		}
		catch (IOException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	/**
	 * Create an empty database.
	 * @param name its name (letters, digits, underscores)
	 * @return its JDBC URL
	 * @throws SQLException when it cannot be created
	 */
	String createDatabase(String name) throws SQLException {
		try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + name);
		}
		return url(name);
	}

	String url(String database) {
		return "jdbc:postgresql://127.0.0.1:" + this.cluster.port() + "/" + database;
	}

	/**
	 * @return the postmaster's process id (its backends are its children), or -1
	 */
	long pid() {
		try {
			return Long.parseLong(Files.readAllLines(this.cluster.data().resolve("postmaster.pid")).get(0).trim());
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * @return the PostgreSQL version the server reports
	 */
	String version() {
		try {
			return this.cluster.version();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	/**
	 * Stop the server (fast shutdown), keep its log beside the others, remove its
	 * directory.
	 */
	@Override
	public void close() {
		stop();
		try {
			Runtime.getRuntime().removeShutdownHook(this.hook);
		}
		catch (IllegalStateException ex) {
			// shutting down already
		}
	}

	private synchronized void stop() {
		if (this.stopped) {
			return;
		}
		this.stopped = true;
		try {
			if (Files.exists(this.cluster.data().resolve("postmaster.pid"))) {
				this.cluster.stop("fast");
			}
		}
		catch (IOException ex) {
			System.err.println("[postgres] pg_ctl stop failed (" + ex.getMessage() + "); stop it with: pg_ctl stop -D "
					+ this.cluster.data());
			return;
		}
		try {
			if (Files.exists(this.cluster.logFile())) {
				Files.copy(this.cluster.logFile(), this.logCopy, StandardCopyOption.REPLACE_EXISTING);
			}
			this.cluster.delete();
			Files.deleteIfExists(this.marker);
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

}
