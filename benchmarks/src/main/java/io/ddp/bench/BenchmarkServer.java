package io.ddp.bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The server side of the benchmarks: one Spring Boot application (own JVM) that serves
 * <ul>
 * <li>our DDP endpoint at {@code /websocket} (auto-configured by the starter) with the
 * {@code echo} method of {@link EchoMethods},</li>
 * <li>a plain Spring {@code TextWebSocketHandler} echo at {@code /raw-echo}
 * ({@link RawEchoConfig}), the framework ceiling the DDP numbers are compared with,</li>
 * <li>a plain Spring fan-out at {@code /raw-fanout} ({@link RawFanoutConfig}), the same
 * ceiling for the fan-out scenario,</li>
 * <li>{@code GET /bench/heap}: forces a full GC and returns the used heap
 * ({@link HeapController}).</li>
 * </ul>
 * Tomcat or Jetty is chosen by the classpath run.sh puts together
 * (target/classpath-*.txt). Settings: {@code application.properties} beside this class in
 * resources.
 */
@SpringBootApplication
public class BenchmarkServer {

	public static void main(String[] args) {
		// Started by the runner: stop with it, even when it was killed and could not stop
		// us
		String parent = System.getProperty("bench.parent-pid");
		if (parent != null) {
			ProcessHandle.of(Long.parseLong(parent)).ifPresent((runner) -> runner.onExit().thenRun(() -> {
				System.err.println("benchmark runner (pid " + parent + ") exited: stopping this server");
				System.exit(0);
			}));
		}
		SpringApplication.run(BenchmarkServer.class, args);
	}

}
