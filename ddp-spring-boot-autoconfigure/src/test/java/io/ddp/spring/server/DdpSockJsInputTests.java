package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.ddp.spring.server.session.DdpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What clients send on the SockJS WebSocket (ddp-protocol.md 1.3, 1.7), with the
 * container's default 8 KiB message buffer: messages up to the configured limit, and
 * framing errors answered as sockjs-node answers them; {@code xhr_send} reads its bodies
 * the same way.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpSockJsInputTests {

	private static final AtomicLong SESSIONS = new AtomicLong(System.nanoTime());

	private static final String CONNECT = "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}";

	private static final String BAD_REQUEST = "{\"msg\":\"error\",\"reason\":\"Bad request\"}";

	private static final String PING = "{\"msg\":\"ping\",\"id\":\"alive\"}";

	@LocalServerPort
	int port;

	@Autowired
	DdpServer server;

	@Test
	void messagesFarPastTheContainerBufferAreTaken() {
		try (SockJsClient client = new SockJsClient(open())) {
			client.connect();
			String big = "x".repeat(3 * 1024 * 1024);
			client.send(
					"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\",\"q\\\"uote\"]}");
			JsonNode result = client.next((message) -> "result".equals(message.path("msg").asString()));
			assertThat(result.get("result").get(0).asString()).isEqualTo(big);
			assertThat(result.get("result").get(1).asString()).isEqualTo("q\"uote");
		}
	}

	@Test
	void theCloseFrameFollowsAWriteInProgress() throws Exception {
		String path = "/sockjs/123/" + Long.toString(SESSIONS.incrementAndGet(), 36) + "/websocket";
		try (BareWebSocket client = BareWebSocket.open(this.port, path, 16 * 1024)) {
			assertThat(client.read()).isEqualTo("o");
			client.text("[" + RawDdpClient.JSON.writeValueAsString(CONNECT) + "]").flush();
			String session = json(json(client.read().substring(1)).get(0).asString()).get("session").asString();
			// A reply far larger than the socket buffers: its write stays in progress
			// while the client does not read.
			String big = "x".repeat(12 * 1024 * 1024);
			client
				.text("["
						+ RawDdpClient.JSON.writeValueAsString(
								"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}")
						+ "]")
				.flush();
			// "updated" precedes the result; then the result's write is in progress.
			assertThat(client.read()).contains("updated");
			await().atMost(Duration.ofSeconds(10)).until(client::hasIncoming);
			client.text("{oops").flush();
			// Closed on the server while its write is in progress.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.server.connections().stream().noneMatch((c) -> session.equals(c.id())));
			List<String> frames = new ArrayList<>();
			String frame;
			do {
				frame = client.read();
				frames.add((frame.length() > 100) ? frame.substring(0, 100) : frame);
			}
			while (!frame.startsWith("close:"));
			assertThat(frames).anySatisfy((text) -> assertThat(text).startsWith("a[").contains("result"))
				.endsWith("c[3000,\"Broken framing.\"]", "close:3000");
		}
	}

	@Test
	void aFrameHoldingOneJsonStringIsOneMessage() {
		try (RawDdpClient raw = open()) {
			assertThat(raw.nextText()).isEqualTo("o");
			raw.send(RawDdpClient.JSON.writeValueAsString(CONNECT));
			assertThat(raw.nextText()).startsWith("a[").contains("connected");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{oops", "[\"x\"", "x", "[1,]" })
	void brokenFramingClosesTheSessionAsSockJsNodeDoes(String frame) {
		try (RawDdpClient raw = open()) {
			assertThat(raw.nextText()).isEqualTo("o");
			raw.send(frame);
			assertThat(raw.nextText()).isEqualTo("c[3000,\"Broken framing.\"]");
			assertThat(raw.awaitClose()).isEqualTo(3000);
		}
	}

	// What Meteor 1.9.3 (sockjs-node) answers, measured on the reference server: it
	// checks no element's type and reads each as JavaScript's String(element), so an
	// element that is no string is one "Bad request" and the session goes on.
	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "[1]|1", "[\"x\",1]|2", "[{}]|1", "[null]|1", "[[\"x\"]]|1", "[true,1e400]|2",
			"42|1", "{\"msg\":\"connect\"}|1", "[\"{\\\"msg\\\":\\\"ping\\\",\\\"id\\\":1}\"]|0" })
	void elementsThatAreNoStringsAreAnsweredAsMeteorAnswersThem(String frame, int badRequests) {
		try (SockJsClient client = new SockJsClient(open())) {
			client.connect();
			client.raw.send(frame);
			assertThat(client.errorsBeforePong()).hasSize(badRequests)
				.allSatisfy((error) -> assertThat(error).isEqualTo(json(BAD_REQUEST)));
		}
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "[1]|1", "[\"x\",1]|2", "[{}]|1", "[null]|1", "[[\"x\"]]|1", "[true,1e400]|2",
			"[\"{\\\"msg\\\":\\\"ping\\\",\\\"id\\\":1}\"]|0" })
	void xhrSendReadsElementsAsTheWebSocketDoes(String body, int badRequests) throws Exception {
		XhrClient client = new XhrClient();
		assertThat(client.send(body).statusCode()).isEqualTo(204);
		assertThat(client.errorsBeforePong()).hasSize(badRequests)
			.allSatisfy((error) -> assertThat(error).isEqualTo(json(BAD_REQUEST)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "42", "\"x\"", "{\"msg\":\"connect\"}", "null" })
	void xhrSendOfAnythingButAnArrayIsPayloadExpected(String body) throws Exception {
		XhrClient client = new XhrClient();
		HttpResponse<String> response = client.send(body);
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).isEqualTo("Payload expected.");
		assertThat(client.errorsBeforePong()).isEmpty();
	}

	@Test
	void emptyFramesAndEmptyArraysAreIgnored() {
		try (SockJsClient client = new SockJsClient(open())) {
			client.raw.send("");
			client.raw.send("[]");
			client.connect();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":99999999999999999999999999999999999999999999999999999999999999999999999999999}",
			"{oops", "{\"msg\":\"__proto__\"}" })
	void hostileDdpOverSockJsIsAnsweredAndTheSessionKeepsServing(String message) {
		try (SockJsClient client = new SockJsClient(open())) {
			client.connect();
			client.send(message);
			assertThat(client.next().get("msg").asString()).isEqualTo("error");
			client.send("{\"msg\":\"method\",\"id\":\"after\",\"method\":\"echo\",\"params\":[1]}");
			assertThat(client.next((m) -> "result".equals(m.path("msg").asString())).get("result"))
				.isEqualTo(json("[1]"));
		}
	}

	private RawDdpClient open() {
		// A fresh SockJS session id each time: a closed one stays taken for a while.
		String session = Long.toString(SESSIONS.incrementAndGet(), 36);
		return RawDdpClient.open(URI.create("ws://127.0.0.1:" + this.port + "/sockjs/123/" + session + "/websocket"));
	}

	/**
	 * DDP over SockJS frames on a raw client: {@code a[...]} frames unpacked into
	 * messages.
	 */
	static final class SockJsClient implements AutoCloseable {

		final RawDdpClient raw;

		private final Deque<JsonNode> messages = new ArrayDeque<>();

		SockJsClient(RawDdpClient raw) {
			this.raw = raw;
			assertThat(raw.nextText()).isEqualTo("o");
		}

		void connect() {
			send(CONNECT);
			assertThat(next().get("msg").asString()).isEqualTo("connected");
		}

		void send(String message) {
			this.raw.send("[" + RawDdpClient.JSON.writeValueAsString(message) + "]");
		}

		JsonNode next() {
			while (this.messages.isEmpty()) {
				String frame = this.raw.nextText();
				assertThat(frame).doesNotStartWith("c[");
				if (frame.startsWith("a[")) {
					for (JsonNode message : json(frame.substring(1))) {
						this.messages.add(json(message.asString()));
					}
				}
			}
			return this.messages.poll();
		}

		JsonNode next(Predicate<JsonNode> match) {
			while (true) {
				JsonNode message = next();
				if (match.test(message)) {
					return message;
				}
			}
		}

		List<JsonNode> errorsBeforePong() {
			send(PING);
			List<JsonNode> errors = new ArrayList<>();
			next((message) -> {
				if ("error".equals(message.path("msg").asString())) {
					errors.add(message);
				}
				return "pong".equals(message.path("msg").asString());
			});
			return errors;
		}

		@Override
		public void close() {
			this.raw.close();
		}

	}

	/**
	 * DDP over SockJS XHR polling, connected; its session expires with the disconnect
	 * delay.
	 */
	final class XhrClient {

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		private final String base = "http://127.0.0.1:" + DdpSockJsInputTests.this.port + "/sockjs/000/"
				+ Long.toString(SESSIONS.incrementAndGet(), 36);

		XhrClient() throws Exception {
			assertThat(poll()).isEqualTo("o");
			assertThat(send("[" + RawDdpClient.JSON.writeValueAsString(CONNECT) + "]").statusCode()).isEqualTo(204);
			assertThat(poll()).startsWith("a[").contains("connected");
		}

		HttpResponse<String> send(String body) throws Exception {
			return this.http.send(HttpRequest.newBuilder(URI.create(this.base + "/xhr_send"))
				.timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build(), HttpResponse.BodyHandlers.ofString());
		}

		String poll() throws Exception {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(this.base + "/xhr"))
					.timeout(Duration.ofSeconds(10))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString())
				.body()
				.trim();
		}

		List<JsonNode> errorsBeforePong() throws Exception {
			assertThat(send("[" + RawDdpClient.JSON.writeValueAsString(PING) + "]").statusCode()).isEqualTo(204);
			List<JsonNode> errors = new ArrayList<>();
			while (true) {
				String frame = poll();
				assertThat(frame).startsWith("a[");
				for (JsonNode message : json(frame.substring(1))) {
					JsonNode ddp = json(message.asString());
					if ("error".equals(ddp.path("msg").asString())) {
						errors.add(ddp);
					}
					if ("pong".equals(ddp.path("msg").asString())) {
						return errors;
					}
				}
			}
		}

	}

}
