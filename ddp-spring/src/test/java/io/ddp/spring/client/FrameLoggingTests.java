package io.ddp.spring.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's logs against a real server on a loopback socket: every frame in and out at
 * TRACE under {@code io.ddp.spring.client.frames.<name>}, and the handshake at INFO.
 */
class FrameLoggingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

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

	private static List<String> answer(String frame) {
		if (frame.contains("\"msg\":\"connect\"")) {
			return List.of("{\"msg\":\"connected\",\"session\":\"loop1\"}");
		}
		if (frame.contains("\"method\":\"echo\"")) {
			return List.of("{\"msg\":\"result\",\"id\":\"1\",\"result\":\"hi\"}",
					"{\"msg\":\"updated\",\"methods\":[\"1\"]}");
		}
		return List.of();
	}

}
