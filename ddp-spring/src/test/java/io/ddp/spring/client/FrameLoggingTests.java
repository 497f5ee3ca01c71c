package io.ddp.spring.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's logs against a real server on a loopback socket: every frame in and out at
 * TRACE under {@code io.ddp.spring.client.frames.<name>} and to the frame listeners, and
 * the handshake at INFO.
 */
class FrameLoggingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Pattern ECHO = Pattern.compile("\"id\":\"(\\d+)\",\"method\":\"echo\"");

	@Test
	void everyFrameOfACallIsTracedUnderTheConnectionsLogger() throws IOException {
		try (LoopbackDdpServer server = new LoopbackDdpServer(FrameLoggingTests::answer);
				LogCapture frames = new LogCapture("io.ddp.spring.client.frames.loopback", Level.TRACE);
				LogCapture state = new LogCapture(DefaultDdpConnection.class.getName(), Level.INFO);
				DefaultDdpConnection connection = new DefaultDdpConnection("loopback",
						DdpClientOptions.builder(server.url()).build(), Ejson.createDefault())) {
			connection.connect();
			await().atMost(WAIT).until(() -> connection.status().state() == ConnectionState.CONNECTED);
			assertThat(connection.call("echo", "hi")).isEqualTo("hi");
			await().atMost(WAIT).until(() -> frames.messages(Level.TRACE).size() >= 5);
			assertThat(frames.messages(Level.TRACE)).containsExactly(
					"-> {\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}",
					"<- {\"msg\":\"connected\",\"session\":\"loop1\"}",
					"-> {\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"hi\"]}",
					"<- {\"msg\":\"result\",\"id\":\"1\",\"result\":\"hi\"}",
					"<- {\"msg\":\"updated\",\"methods\":[\"1\"]}");
			assertThat(state.messages(Level.INFO)).singleElement()
				.asString()
				.contains("'loopback' connected to " + server.url(), "session loop1", "DDP version 1");
			assertThat(server.received).hasSize(2);
		}
	}

	@Test
	void frameListenersSeeEveryFrameInWireOrderUntilRemoved() throws Exception {
		List<String> seen = new CopyOnWriteArrayList<>();
		List<String> threads = new CopyOnWriteArrayList<>();
		try (LoopbackDdpServer server = new LoopbackDdpServer(FrameLoggingTests::answer);
				LogCapture errors = new LogCapture(FrameLog.class.getName(), Level.ERROR);
				DefaultDdpConnection connection = new DefaultDdpConnection("listened",
						DdpClientOptions.builder(server.url()).build(), Ejson.createDefault())) {
			AutoCloseable failing = connection.addFrameListener((direction, text) -> {
				throw new IllegalStateException("a broken listener does not stop the others");
			});
			AutoCloseable registration = connection.addFrameListener((direction, text) -> {
				seen.add(direction + " " + text);
				threads.add(Thread.currentThread().getName());
			});
			connection.connect();
			await().atMost(WAIT).until(() -> connection.status().state() == ConnectionState.CONNECTED);
			assertThat(connection.call("echo", "hi")).isEqualTo("hi");
			await().atMost(WAIT).until(() -> seen.size() >= 5);
			assertThat(seen).containsExactly(
					"SENT {\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}",
					"RECEIVED {\"msg\":\"connected\",\"session\":\"loop1\"}",
					"SENT {\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"hi\"]}",
					"RECEIVED {\"msg\":\"result\",\"id\":\"1\",\"result\":\"hi\"}",
					"RECEIVED {\"msg\":\"updated\",\"methods\":[\"1\"]}");
			assertThat(threads).containsOnly("ddp-client-listened-callbacks");
			assertThat(errors.messages(Level.ERROR)).hasSize(5)
				.allMatch("DDP frame listener of connection 'listened' failed"::equals);
			registration.close();
			failing.close();
			assertThat(connection.call("echo", "hi")).isEqualTo("hi");
			assertThat(server.received).hasSize(3);
			assertThat(seen).hasSize(5);
		}
	}

	private static List<String> answer(String frame) {
		if (frame.contains("\"msg\":\"connect\"")) {
			return List.of("{\"msg\":\"connected\",\"session\":\"loop1\"}");
		}
		Matcher echo = ECHO.matcher(frame);
		if (echo.find()) {
			String id = echo.group(1);
			return List.of("{\"msg\":\"result\",\"id\":\"" + id + "\",\"result\":\"hi\"}",
					"{\"msg\":\"updated\",\"methods\":[\"" + id + "\"]}");
		}
		return List.of();
	}

}
