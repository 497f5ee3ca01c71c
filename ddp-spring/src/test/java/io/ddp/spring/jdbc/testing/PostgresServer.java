package io.ddp.spring.jdbc.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.test.util.TestSocketUtils;

/**
 * A real PostgreSQL server for tests, from the binaries of Debian's {@code postgresql}
 * package ({@code /usr/lib/postgresql/<version>/bin}): one per test JVM, started on first
 * use in a temporary directory on a free loopback port and stopped when the JVM exits.
 * Each test class takes its own database with {@link #createDatabase(String)}.
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

	private static final AtomicInteger databases = new AtomicInteger();

	private static PostgresServer shared;

	private final Path bin;

	private final Path directory;

	private final int port;

	private final boolean root;

	private PostgresServer(Path bin, Path directory, int port, boolean root) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
		this.root = root;
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
		Path bin = findBinaries();
		try {
			boolean root = "root".equals(System.getProperty("user.name")) || isRoot();
			Path directory = Files.createTempDirectory("ddp-postgres-");
			if (root) {
				run(List.of("chown", "postgres", directory.toString()), false);
			}
			PostgresServer server = new PostgresServer(bin, directory, TestSocketUtils.findAvailableTcpPort(), root);
			server.pg(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
					"--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"));
			server.pgCtl("start");
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start PostgreSQL for the tests: " + ex.getMessage(), ex);
		}
	}

	private static boolean isRoot() throws IOException {
		return "0".equals(run(List.of("id", "-u"), false).trim());
	}

	private static Path findBinaries() {
		File[] versions = new File("/usr/lib/postgresql").listFiles();
		Path found = (versions != null) ? Arrays.stream(versions)
			.map((version) -> version.toPath().resolve("bin"))
			.filter((bin) -> Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
			.max(Comparator.comparing((bin) -> versionOf(bin.getParent().getFileName().toString())))
			.orElse(null) : null;
		if (found == null) {
			throw new IllegalStateException("The PostgreSQL tests need PostgreSQL's server binaries in "
					+ "/usr/lib/postgresql/<version>/bin: install them with 'apt-get install postgresql', "
					+ "or skip these tests with -D" + SKIP_PROPERTY + "=skip");
		}
		return found;
	}

	private static int versionOf(String name) {
		try {
			return Integer.parseInt(name.split("\\.")[0]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Return the port the server listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.port;
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
		dataSource.setPortNumbers(new int[] { this.port });
		dataSource.setDatabaseName(database);
		dataSource.setUser("postgres");
		dataSource.setConnectTimeout(5);
		return dataSource;
	}

	/**
	 * Restart the server ({@code pg_ctl restart -m fast}): every connection is cut.
	 */
	public void restart() {
		pgCtl("restart", "-m", "fast");
	}

	/**
	 * Stop the server ({@code pg_ctl stop -m fast}).
	 */
	public void stopServer() {
		pgCtl("stop", "-m", "fast");
	}

	/**
	 * Start the server again after {@link #stopServer()}.
	 */
	public void startServer() {
		pgCtl("start");
	}

	private void stop() {
		try {
			pgCtl("stop", "-m", "immediate");
		}
		catch (RuntimeException ex) {
			// Already stopped
		}
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// A temporary directory the system cleans
		}
	}

	private Path data() {
		return this.directory.resolve("data");
	}

	private void pgCtl(String command, String... options) {
		List<String> arguments = new ArrayList<>(List.of(this.bin.resolve("pg_ctl").toString(), command, "-D",
				data().toString(), "-w", "-t", "60", "-l", this.directory.resolve("server.log").toString()));
		arguments.addAll(Arrays.asList(options));
		if (!command.equals("stop")) {
			arguments.addAll(List.of("-o", "-p " + this.port + " -k " + this.directory
					+ " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"));
		}
		try {
			pg(arguments);
		}
		catch (IOException ex) {
			throw new IllegalStateException("pg_ctl " + command + " failed: " + ex.getMessage() + "\n" + log(), ex);
		}
	}

	private String log() {
		try {
			return Files.readString(this.directory.resolve("server.log"));
		}
		catch (IOException ex) {
			return "(no server log)";
		}
	}

	private void pg(List<String> command) throws IOException {
		List<String> full = new ArrayList<>();
		if (this.root) {
			full.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		full.addAll(command);
		run(full, true);
	}

	private static String run(List<String> command, boolean check) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		// pg_ctl start leaves the server running with our output pipe unless redirected:
		// its -l log takes the server's output, so reading to the end terminates
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
		if (check && process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
		}
		return output;
	}

}
