package io.ddp.spring.jdbc.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL cluster made from the binaries of Debian's {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}, the newest version there): {@code initdb}
 * in a new temporary directory, then {@code pg_ctl} to start, stop and restart it on
 * 127.0.0.1 at a given port. PostgreSQL refuses to run as root, so when this JVM runs as
 * root (CI) every command runs as the {@code postgres} user through {@code runuser}.
 * <p>
 * It needs no test framework, so that the tests ({@link PostgresServer}) and the
 * benchmarks share it. Not thread-safe: one owner drives it.
 */
public final class PostgresCluster {

	private static final int START_ATTEMPTS = 20;

	private final Path bin;

	private final Path directory;

	private final int port;

	private final List<String> settings;

	private final boolean root;

	private PostgresCluster(Path bin, Path directory, int port, List<String> settings, boolean root) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
		this.settings = List.copyOf(settings);
		this.root = root;
	}

	/**
	 * Create a cluster ({@code initdb}: user {@code postgres}, trust authentication,
	 * UTF-8, C locale) in a new temporary directory; it is not started.
	 * @param prefix begins the temporary directory's name
	 * @param port the port it is to listen on, on 127.0.0.1
	 * @param settings {@code name=value} server settings passed with {@code -c} at every
	 * start
	 * @return the cluster
	 * @throws IOException if the binaries are missing or {@code initdb} fails
	 */
	public static PostgresCluster create(String prefix, int port, List<String> settings) throws IOException {
		Path bin = findBinaries();
		boolean root = "0".equals(run(List.of("id", "-u"), false).trim());
		Path directory = Files.createTempDirectory(prefix);
		if (root) {
			run(List.of("chown", "postgres", directory.toString()), true);
		}
		PostgresCluster cluster = new PostgresCluster(bin, directory, port, settings, root);
		cluster.pg(List.of(bin.resolve("initdb").toString(), "-D", cluster.data().toString(), "-U", "postgres",
				"--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"));
		return cluster;
	}

	private static Path findBinaries() throws IOException {
		File[] versions = new File("/usr/lib/postgresql").listFiles();
		Path found = (versions != null) ? Arrays.stream(versions)
			.map((version) -> version.toPath().resolve("bin"))
			.filter((bin) -> Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
			.max(Comparator.comparing((bin) -> majorVersion(bin.getParent().getFileName().toString())))
			.orElse(null) : null;
		if (found == null) {
			throw new IOException("PostgreSQL's server binaries are not in /usr/lib/postgresql/<version>/bin: "
					+ "install them with 'apt-get install postgresql'");
		}
		return found;
	}

	private static int majorVersion(String name) {
		try {
			return Integer.parseInt(name.split("\\.")[0]);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	/**
	 * Return the port the cluster listens on, on 127.0.0.1.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Return the directory that holds the cluster's data and its log.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return the directory of the PostgreSQL binaries in use.
	 * @return the directory
	 */
	public Path binaries() {
		return this.bin;
	}

	/**
	 * Return whether the commands run as the {@code postgres} user (this JVM is root).
	 * @return whether they do
	 */
	public boolean runsAsPostgresUser() {
		return this.root;
	}

	/**
	 * Return the data directory ({@code postmaster.pid} is there while it runs).
	 * @return the data directory
	 */
	public Path data() {
		return this.directory.resolve("data");
	}

	/**
	 * Return the server log ({@code pg_ctl -l}).
	 * @return the log file
	 */
	public Path logFile() {
		return this.directory.resolve("server.log");
	}

	/**
	 * Start the server and wait until it accepts connections.
	 * @throws IOException if it does not start (the message holds the server log)
	 */
	public void start() throws IOException {
		for (int attempt = 1;; attempt++) {
			try {
				pgCtl("start");
				return;
			}
			catch (IOException ex) {
				// the port can be held for a moment by a socket of the old server or a
				// client
				if (attempt == START_ATTEMPTS || !ex.getMessage().contains("Address already in use")) {
					throw ex;
				}
				pause(500);
			}
		}
	}

	/**
	 * Stop the server and wait until it is gone.
	 * @param mode {@code smart}, {@code fast} or {@code immediate}
	 * @throws IOException if {@code pg_ctl} fails
	 */
	public void stop(String mode) throws IOException {
		pgCtl("stop", "-m", mode);
	}

	/**
	 * Restart the server ({@code fast}: every connection is cut).
	 * @throws IOException if it does not come back
	 */
	public void restart() throws IOException {
		stop("fast");
		start();
	}

	/**
	 * Return a free port on 127.0.0.1 outside the kernel's ephemeral range. A port in
	 * that range can be taken as the local port of any outgoing connection while the
	 * server is down for a restart, and the server then cannot bind it again.
	 * @return the port
	 * @throws IOException if no free port is found
	 */
	public static int freePort() throws IOException {
		int[] ephemeral = ephemeralRange();
		// below the ephemeral range when there is room, else above it
		int low = (ephemeral[0] > 12000) ? 10000 : ephemeral[1] + 1;
		int high = (ephemeral[0] > 12000) ? ephemeral[0] - 1 : 65535;
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = ThreadLocalRandom.current().nextInt(low, high + 1);
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IOException("No free port on 127.0.0.1 between " + low + " and " + high);
	}

	private static int[] ephemeralRange() {
		try {
			String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
			return new int[] { Integer.parseInt(range[0]), Integer.parseInt(range[1]) };
		}
		catch (IOException | RuntimeException ex) {
			// Linux's default range
			return new int[] { 32768, 60999 };
		}
	}

	private static void pause(long millis) throws IOException {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted", ex);
		}
	}

	/**
	 * Remove the cluster's directory (after {@link #stop(String)}).
	 * @throws IOException if a file cannot be listed
	 */
	public void delete() throws IOException {
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	/**
	 * Return the version the binaries report ({@code postgres --version}).
	 * @return the version line
	 * @throws IOException if the command fails
	 */
	public String version() throws IOException {
		return run(List.of(this.bin.resolve("postgres").toString(), "--version"), true).trim();
	}

	private void pgCtl(String command, String... options) throws IOException {
		List<String> arguments = new ArrayList<>(List.of(this.bin.resolve("pg_ctl").toString(), command, "-D",
				data().toString(), "-w", "-t", "60", "-l", logFile().toString()));
		arguments.addAll(Arrays.asList(options));
		if (!command.equals("stop")) {
			List<String> server = new ArrayList<>(List.of("-p", Integer.toString(this.port), "-k",
					this.directory.toString(), "-c", "listen_addresses=127.0.0.1"));
			for (String setting : this.settings) {
				server.addAll(List.of("-c", setting));
			}
			arguments.addAll(List.of("-o", String.join(" ", server)));
		}
		try {
			pg(arguments);
		}
		catch (IOException ex) {
			throw new IOException("pg_ctl " + command + " failed: " + ex.getMessage() + "\n" + log(), ex);
		}
	}

	private String log() {
		try {
			return Files.readString(logFile());
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
			throw new IOException("Interrupted", ex);
		}
		if (check && process.exitValue() != 0) {
			throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output);
		}
		return output;
	}

}
