package io.ddp.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and stops the benchmark server JVM of each variant, and reads its heap.
 */
final class ServerProcesses {

	private static final Pattern NUMBER = Pattern.compile("\"(\\w+)\":(\\d+)");

	private final RunSettings settings;

	ServerProcesses(RunSettings settings) {
		this.settings = settings;
	}

	/**
	 * Start the benchmark server of a variant and wait until it answers.
	 * @param variant the variant
	 * @param port the port to serve on
	 * @return the started server
	 * @throws Exception when it exits or does not start within 90 s
	 */
	TargetServer start(Variant variant, int port) throws Exception {
		String container = variant.name();
		String cp = this.settings.opt("server-cp-" + variant.container(), null);
		if (cp == null) {
			throw new IllegalArgumentException("--server-cp-" + variant.container() + " is required");
		}
		List<String> command = new ArrayList<>();
		command.add(this.settings.java());
		command.addAll(Arrays.asList(this.settings.serverJvmArgs().trim().split("\\s+")));
		command.addAll(variant.jvmArgs());
		command.add("-Dbench.parent-pid=" + ProcessHandle.current().pid());
		command.addAll(List.of("-cp", cp, "io.ddp.bench.BenchmarkServer", "--server.port=" + port));
		command.addAll(variant.appArgs());
		Path log = this.settings.logDir().resolve("server-" + container + ".log");
		ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		Process process = pb.start();
		String heapUrl = "http://127.0.0.1:" + port + "/bench/heap";
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (true) {
			if (!process.isAlive()) {
				throw new IllegalStateException("benchmark server (" + container + ") exited; see " + log);
			}
			try {
				heap(heapUrl, false);
				break;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					process.destroy();
					throw new IllegalStateException("benchmark server (" + container + ") did not start; see " + log);
				}
				Thread.sleep(250);
			}
		}
		System.out.println("== benchmark server on " + container + " started, pid " + process.pid() + ", port " + port
				+ " (log " + log + ")");
		// Let start-up JIT and class loading settle before measuring.
		Thread.sleep(500);
		return new TargetServer(container, process.pid(), process, "ws://127.0.0.1:" + port, heapUrl);
	}

	/**
	 * Stop a started server, forcibly after 20 s.
	 * @param server the server
	 * @throws InterruptedException when interrupted while waiting
	 */
	void stop(TargetServer server) throws InterruptedException {
		server.process().destroy();
		if (!server.process().waitFor(20, TimeUnit.SECONDS)) {
			server.process().destroyForcibly();
		}
	}

	/**
	 * Read the server's heap figures ({@code used}, ...).
	 * @param url the server's heap endpoint
	 * @param gc whether the server runs a full GC first
	 * @return the figures by name
	 * @throws IOException when the server does not answer 200
	 * @throws InterruptedException when interrupted
	 */
	static Map<String, Long> heap(String url, boolean gc) throws IOException, InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpResponse<String> response = client.send(
				HttpRequest.newBuilder(URI.create(url + "?gc=" + gc)).timeout(Duration.ofSeconds(60)).build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException("HTTP " + response.statusCode());
		}
		Map<String, Long> values = new HashMap<>();
		Matcher m = NUMBER.matcher(response.body());
		while (m.find()) {
			values.put(m.group(1), Long.parseLong(m.group(2)));
		}
		return values;
	}

}
