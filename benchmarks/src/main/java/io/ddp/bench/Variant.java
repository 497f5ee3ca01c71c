package io.ddp.bench;

import java.util.List;

/**
 * A server configuration to measure. {@code tomcat} and {@code jetty} are the containers
 * with their defaults; {@code tomcat-1k} is Tomcat with every per-connection buffer at 1
 * KiB.
 *
 * @param name the variant's name (in the report's labels)
 * @param container the container whose class path runs it
 * @param jvmArgs extra JVM arguments of the server
 * @param appArgs extra application arguments of the server
 * @param what the description in the report's header
 */
record Variant(String name, String container, List<String> jvmArgs, List<String> appArgs, String what) {

	static Variant of(String name) {
		return switch (name) {
			case "tomcat" -> new Variant(name, "tomcat", List.of(), List.of(), "Tomcat, default buffers");
			case "jetty" -> new Variant(name, "jetty", List.of(), List.of(), "Jetty, default buffers");
			case "tomcat-1k" ->
				new Variant(name, "tomcat", List.of(), List.of("--ddp.server.websocket.connection-buffer-size=1KB"),
						"Tomcat with the starter's one-line switch ddp.server.websocket.connection-buffer-size=1KB "
								+ "(WebSocket message and frame buffers, NIO socket.appReadBufSize/appWriteBufSize)");
			case "tomcat-ratelimit" -> new Variant(name, "tomcat", List.of(),
					List.of("--ddp.server.rate-limit.rules.bench.name=echo",
							"--ddp.server.rate-limit.rules.bench.connection-id=*",
							"--ddp.server.rate-limit.rules.bench.requests=2000000000",
							"--ddp.server.rate-limit.rules.bench.interval=1h"),
					"Tomcat, default buffers, with one rate limit rule that matches every echo call "
							+ "(per connection, never reached): the cost of a rule check");
			case "tomcat-inline" -> new Variant(name, "tomcat", List.of(), List.of("--bench.inline-executor=true"),
					"experiment, not in the default run: Tomcat, DDP session queues run on the container's socket "
							+ "thread instead of the application task executor (bench.inline-executor=true)");
			case "tomcat-dispatch" ->
				new Variant(name, "tomcat", List.of(), List.of("--ddp.server.websocket.inline-write-completions=false"),
						"not in the default run: Tomcat with every write completion handed to its worker pool "
								+ "(ddp.server.websocket.inline-write-completions=false, as before 2026-12-07)");
			default -> throw new IllegalArgumentException("unknown variant " + name
					+ " (tomcat, tomcat-1k, jetty, tomcat-ratelimit, tomcat-inline, tomcat-dispatch)");
		};
	}

}
