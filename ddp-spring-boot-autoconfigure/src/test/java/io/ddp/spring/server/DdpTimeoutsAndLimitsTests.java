package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heartbeats (ddp-protocol.md 1.5), the connect timeout, the message size limit (1.7) and
 * client addresses behind proxies, with short timings so the tests run quickly.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.server.heartbeat.interval=300ms", "ddp.server.heartbeat.timeout=300ms",
				"ddp.server.connect-timeout=500ms", "ddp.server.max-message-size=64KB", "ddp.server.forwarded-count=1",
				// Tiny container buffers: messages far larger still arrive whole on the
				// raw endpoint.
				"ddp.server.websocket.connection-buffer-size=1KB" })
class DdpTimeoutsAndLimitsTests {

	// Set JVM-wide by the connection-buffer-size switch when Tomcat starts.
	private static final String TOMCAT_FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static @Nullable String frameBufferBefore;

	@LocalServerPort
	int port;

	@BeforeAll
	static void rememberFrameBufferProperty() {
		frameBufferBefore = System.getProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
	}

	@AfterAll
	static void restoreFrameBufferProperty() {
		if (frameBufferBefore != null) {
			System.setProperty(TOMCAT_FRAME_BUFFER_PROPERTY, frameBufferBefore);
		}
		else {
			System.clearProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
		}
	}

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	@Test
	void silentSessionIsPingedAndClosedWhenItDoesNotAnswer() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			long start = System.nanoTime();
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ping\"}"));
			assertThat(client.awaitClose()).isEqualTo(1000);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		}
	}

	@Test
	void anyMessageCountsAsAnAnswerToAPing() throws InterruptedException {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			for (int i = 0; i < 6; i++) {
				JsonNode frame = client.next();
				assertThat(frame.get("msg").asString()).isEqualTo("ping");
				// Not a pong: a method call proves the client alive just as well.
				client.call("k" + i, "echo", "[" + i + "]");
			}
			assertThat(client.isClosed()).isFalse();
		}
	}

	@Test
	void socketThatNeverConnectsIsClosed() {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@Test
	void messagesLargerThanTheContainerBufferArriveWhole() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String big = "x".repeat(50_000);
			client.sendInParts("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}",
					7_000);
			assertThat(client.next((f) -> "result".equals(f.path("msg").asString())).get("result").get(0).asString())
				.hasSize(50_000);
		}
	}

	@Test
	void messageOverTheLimitClosesWith1009() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String big = "x".repeat(70_000);
			client.sendInParts("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}",
					8_000);
			assertThat(client.awaitClose()).isEqualTo(1009);
		}
	}

	@Test
	void clientAddressIsTakenFromXForwardedForByHopCount() {
		try (RawDdpClient client = RawDdpClient.open(uri(), Map.of("X-Forwarded-For", "203.0.113.9, 198.51.100.7"))) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			client.next();
			assertThat(client.call("1", "context", "[]").get("result").get("address").asString())
				.isEqualTo("198.51.100.7");
		}
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			assertThat(client.call("1", "context", "[]").get("result").get("address").asString()).isEqualTo("null");
		}
	}

}
