package io.ddp.bench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The runner's command-line options (see run.sh) and the settings every part of the run
 * shares: the JVM to start, the generators' class path, the echo timings, the log
 * directory and the run's start time.
 */
final class RunSettings {

	static final String DEFAULT_SERVER_JVM_ARGS = "-Xms2g -Xmx2g -XX:+UseG1GC";

	private final Map<String, String> options;

	private final String java;

	private final String genClasspath;

	private final int warmup;

	private final int measure;

	private final Path logDir;

	private final long started = System.nanoTime();

	RunSettings(Map<String, String> options) {
		this.options = options;
		this.java = opt("java", ProcessHandle.current().info().command().orElse("java"));
		this.genClasspath = opt("gen-cp", System.getProperty("java.class.path"));
		this.warmup = Integer.parseInt(opt("warmup", "2"));
		this.measure = Integer.parseInt(opt("measure", "5"));
		this.logDir = Path.of(opt("log-dir", "target/bench-logs"));
	}

	/**
	 * An option's value.
	 * @param name the option, without its leading {@code --}
	 * @param fallback the value when the option is missing or empty
	 * @return the value
	 */
	String opt(String name, String fallback) {
		String v = this.options.get(name);
		return (v == null || v.isEmpty()) ? fallback : v;
	}

	int intOpt(String name, String fallback) {
		return Integer.parseInt(opt(name, fallback));
	}

	double doubleOpt(String name, String fallback) {
		return Double.parseDouble(opt(name, fallback));
	}

	String java() {
		return this.java;
	}

	String genClasspath() {
		return this.genClasspath;
	}

	/**
	 * @return seconds of unrecorded load before an echo measurement
	 */
	int warmup() {
		return this.warmup;
	}

	/**
	 * @return seconds measured per echo or sessions scenario
	 */
	int measure() {
		return this.measure;
	}

	Path logDir() {
		return this.logDir;
	}

	/**
	 * @return the log every load generator writes to
	 */
	Path loadgenLog() {
		return this.logDir.resolve("loadgen.log");
	}

	String serverJvmArgs() {
		return opt("server-jvm-args", DEFAULT_SERVER_JVM_ARGS);
	}

	/**
	 * @return the time since the run started, as {@code [ 12 s]}
	 */
	String elapsed() {
		return String.format(Locale.ROOT, "[%3.0f s]", (System.nanoTime() - this.started) / 1e9);
	}

}
