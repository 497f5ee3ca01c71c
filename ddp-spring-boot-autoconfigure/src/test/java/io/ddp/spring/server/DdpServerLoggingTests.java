package io.ddp.spring.server;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import io.ddp.spring.server.session.DdpSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server's log over real WebSocket connections: the startup summary, session opens
 * and closes at DEBUG, and every frame at TRACE under
 * {@code io.ddp.spring.server.frames}.
 */
@SpringBootTest(classes = DdpServerLoggingTests.LoggingApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DdpServerLoggingTests {

	private static final String FRAMES = "io.ddp.spring.server.frames";

	@LocalServerPort
	int port;

	private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

	private Logger frames;

	private Logger sessions;

	private Level framesLevel;

	private Level sessionsLevel;

	@BeforeEach
	void captureLogs() {
		// Written from the server's threads while the test reads it.
		this.appender.list = new CopyOnWriteArrayList<>();
		this.appender.start();
		this.frames = (Logger) LoggerFactory.getLogger(FRAMES);
		this.sessions = (Logger) LoggerFactory.getLogger(DdpSession.class);
		this.framesLevel = this.frames.getLevel();
		this.sessionsLevel = this.sessions.getLevel();
		this.frames.setLevel(Level.TRACE);
		this.sessions.setLevel(Level.DEBUG);
		this.frames.addAppender(this.appender);
		this.sessions.addAppender(this.appender);
	}

	@AfterEach
	void restoreLogs() {
		this.frames.detachAppender(this.appender);
		this.sessions.detachAppender(this.appender);
		this.frames.setLevel(this.framesLevel);
		this.sessions.setLevel(this.sessionsLevel);
		this.appender.stop();
	}

	@Test
	void startupLineNamesMethodsPublicationsAndEndpoints(CapturedOutput output) {
		assertThat(output.getOut()).contains("DDP server: 2 method(s) [closeMe, hello], 1 publication(s) [things]; "
				+ "endpoints: /websocket (WebSocket), /sockjs (SockJS)");
	}

	@Test
	void everyFrameInAndOutIsTracedWithTheSessionId() {
		String id;
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			id = client.next().get("session").asString();
			JsonNode result = client.call("1", "hello", "[\"ada\"]");
			assertThat(result.get("result").asString()).isEqualTo("hello ada");
		}
		await().untilAsserted(() -> assertThat(messages(FRAMES)).contains(
				"- in {\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}",
				id + " out {\"msg\":\"connected\",\"session\":\"" + id + "\"}",
				id + " in {\"msg\":\"method\",\"id\":\"1\",\"method\":\"hello\",\"params\":[\"ada\"]}",
				id + " out {\"msg\":\"updated\",\"methods\":[\"1\"]}",
				id + " out {\"msg\":\"result\",\"id\":\"1\",\"result\":\"hello ada\"}"));
		assertThat(this.appender.list).filteredOn((event) -> event.getLoggerName().equals(FRAMES))
			.allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.TRACE));
	}

	@Test
	void framesAreNotLoggedBelowTrace() {
		this.frames.setLevel(Level.DEBUG);
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.call("1", "hello", "[\"bob\"]");
		}
		String sessionDebug = "opened: DDP 1 over websocket";
		await().untilAsserted(() -> assertThat(messages(DdpSession.class.getName()))
			.anyMatch((message) -> message.contains(sessionDebug)));
		assertThat(messages(FRAMES)).isEmpty();
	}

	@Test
	void sessionOpenAndClientCloseAreLoggedAtDebug() {
		String id;
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			id = client.next().get("session").asString();
		}
		await().untilAsserted(() -> assertThat(messages(DdpSession.class.getName())).contains(
				"DDP session " + id + " opened: DDP 1 over websocket from 127.0.0.1",
				"DDP session " + id + " over websocket from 127.0.0.1 closed: socket closed (1000)"));
		assertThat(this.appender.list).filteredOn((event) -> event.getLoggerName().equals(DdpSession.class.getName()))
			.allSatisfy((event) -> assertThat(event.getLevel()).isEqualTo(Level.DEBUG));
	}

	@Test
	void resetSocketIsLoggedAsFailedNotAsAServerError() throws Exception {
		String id;
		try (WireSocket socket = new WireSocket(this.port, "/websocket")) {
			id = connect(socket);
			socket.reset();
		}
		String prefix = "DDP session " + id + " over websocket from 127.0.0.1 closed: ";
		await().untilAsserted(() -> assertThat(messages(DdpSession.class.getName()))
			.anySatisfy((message) -> assertThat(message).startsWith(prefix)));
		// Tomcat sees the reset as a failed read, or as an end of stream.
		assertThat(messages(DdpSession.class.getName())).filteredOn((message) -> message.startsWith(prefix))
			.singleElement()
			.satisfies((message) -> assertThat(message.substring(prefix.length())).matches(
					"socket failed \\(\\w*Exception.*\\)|socket ended without a close frame|socket closed \\(1006.*\\)"));
	}

	@Test
	void streamEndedWithoutACloseFrameIsLoggedSo() throws Exception {
		try (WireSocket socket = new WireSocket(this.port, "/websocket")) {
			String id = connect(socket);
			socket.endWithoutCloseFrame();
			await().untilAsserted(() -> assertThat(messages(DdpSession.class.getName())).contains(
					"DDP session " + id + " over websocket from 127.0.0.1 closed: socket ended without a close frame"));
		}
	}

	@Test
	void serverCloseIsLoggedWithItsReason() {
		String id;
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			id = client.next().get("session").asString();
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"closeMe\",\"params\":[]}");
			client.awaitClose();
		}
		await().untilAsserted(() -> assertThat(messages(DdpSession.class.getName())).contains("DDP session " + id
				+ " over websocket from 127.0.0.1 closed: closed by the server (1000 Normal closure)"));
	}

	private static String connect(WireSocket socket) throws Exception {
		socket.sendText("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
		socket.flush();
		String connected = socket.poll(10_000);
		assertThat(connected).as("connected").isNotNull();
		return RawDdpClient.json(connected).get("session").asString();
	}

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	private List<String> messages(String logger) {
		return this.appender.list.stream()
			.filter((event) -> event.getLoggerName().equals(logger))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LoggingApplication {

		@Bean
		LoggedHandlers loggedHandlers() {
			return new LoggedHandlers();
		}

	}

	static class LoggedHandlers {

		@DdpMethod
		public String hello(String name) {
			return "hello " + name;
		}

		@DdpMethod
		public void closeMe(ClientConnection connection) {
			connection.close();
		}

		@DdpPublication
		public void things(ServerSubscription subscription) {
			subscription.added("things", "t", Map.of());
			subscription.ready();
		}

	}

}
