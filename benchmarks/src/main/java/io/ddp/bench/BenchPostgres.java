package io.ddp.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server for the propagation section, from Debian's binaries
 * ({@code /usr/lib/postgresql/<version>/bin}): a fresh cluster in a temporary directory
 * on a free loopback port, run as user {@code postgres} when the runner is root
 * (PostgreSQL refuses root). Its settings are PostgreSQL's defaults (durable commits)
 * plus {@code --pg-settings}. While it runs, {@code <log-dir>/postgres.dir} names its
 * directory and binaries, so that run.sh stops it even if the runner is killed.
 */
final class BenchPostgres implements AutoCloseable {

	private final Path bin;

	private final Path directory;

	private final Path marker;

	private final Path logCopy;

	private final int port;

	private final boolean root;

	private final Thread hook = new Thread(this::stop, "bench-postgres-stop");

	private boolean stopped;

	private BenchPostgres(Path bin, Path directory, Path logDir, int port, boolean root) {
		this.bin = bin;
		this.directory = directory;
		this.marker = logDir.resolve("postgres.dir");
		this.logCopy = logDir.resolve("postgres.log");
		this.port = port;
		this.root = root;
	}

	/**
	 * Start a fresh server.
	 * @param logDir where the marker file and, at the end, the server's log go
	 * @param settings extra {@code name=value} settings, space separated (may be empty)
	 * @return the running server
	 * @throws IOException when the binaries are missing or the server does not start
	 */
	static BenchPostgres start(Path logDir, String settings) throws IOException {
		Path bin = findBinaries();
		boolean root = "0".equals(run(List.of("id", "-u"), false).trim());
		Path directory = Files.createTempDirectory("ddp-bench-postgres-");
		if (root) {
			run(List.of("chown", "postgres", directory.toString()), true);
		}
		BenchPostgres server = new BenchPostgres(bin, directory, logDir, freePort(), root);
		Files.writeString(server.marker, directory + "\n" + bin + "\n" + (root ? "postgres" : "") + "\n");
		Runtime.getRuntime().addShutdownHook(server.hook);
		try {
			server.pg(List.of(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
					"--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"));
			List<String> options = new ArrayList<>(List.of("-p", Integer.toString(server.port), "-k",
					directory.toString(), "-c", "listen_addresses=127.0.0.1"));
			for (String setting : settings.trim().split("\\s+")) {
				if (!setting.isEmpty()) {
					options.addAll(List.of("-c", setting));
				}
			}
			server.pg(List.of(bin.resolve("pg_ctl").toString(), "start", "-D", server.data().toString(), "-w", "-t",
					"60", "-l", directory.resolve("server.log").toString(), "-o", String.join(" ", options)));
		}
		catch (IOException ex) {
			server.close();
			throw ex;
		}
		return server;
	}

	private static Path findBinaries() throws IOException {
		File[] versions = new File("/usr/lib/postgresql").listFiles();
		return (versions == null) ? missing()
				: Arrays.stream(versions)
					.map((v) -> v.toPath().resolve("bin"))
					.filter((b) -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
					.max(Comparator.comparingInt((b) -> major(b.getParent().getFileName().toString())))
					.orElseGet(BenchPostgres::missing);
	}

	private static Path missing() {
		throw new IllegalStateException("the propagation section needs PostgreSQL's server binaries in "
				+ "/usr/lib/postgresql/<version>/bin: apt-get install postgresql");
	}

	private static int major(String version) {
		try {
			return Integer.parseInt(version.split("\\.")[0]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
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
		return "jdbc:postgresql://127.0.0.1:" + this.port + "/" + database;
	}

	/**
	 * @return the postmaster's process id (its backends are its children), or -1
	 */
	long pid() {
		try {
			return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
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
			return run(List.of(this.bin.resolve("postgres").toString(), "--version"), false).trim();
		}
		catch (IOException ex) {
			return "?";
		}
	}

	private Path data() {
		return this.directory.resolve("data");
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
			if (Files.exists(data().resolve("postmaster.pid"))) {
				pg(List.of(this.bin.resolve("pg_ctl").toString(), "stop", "-D", data().toString(), "-m", "fast", "-w",
						"-t", "30"));
			}
		}
		catch (IOException ex) {
			System.err.println(
					"[postgres] pg_ctl stop failed (" + ex.getMessage() + "); stop it with: pg_ctl stop -D " + data());
			return;
		}
		try {
			Path log = this.directory.resolve("server.log");
			if (Files.exists(log)) {
				Files.copy(log, this.logCopy, StandardCopyOption.REPLACE_EXISTING);
			}
			try (var paths = Files.walk(this.directory)) {
				paths.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
			Files.deleteIfExists(this.marker);
		}
		catch (IOException ex) {
			// a temporary directory
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
		// pg_ctl start hands the server's output to its -l log, so this read ends
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(String.join(" ", command) + " did not finish: " + output);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		if (check && process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
		}
		return output;
	}

}
