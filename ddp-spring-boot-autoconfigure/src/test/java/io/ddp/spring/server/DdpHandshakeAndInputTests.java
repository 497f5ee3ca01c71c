package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake (ddp-protocol.md 2.2, 2.3, 2.5) and every row of the invalid-input table
 * (1.6), over real WebSocket connections.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpHandshakeAndInputTests {

	private static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

	@LocalServerPort
	int port;

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	@Test
	void connectGetsConnectedWithFreshSeventeenCharacterSessionIds() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			try (RawDdpClient client = RawDdpClient.open(uri())) {
				client.send(
						"{\"msg\":\"connect\",\"session\":\"oldSessionIdXXXXX\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}");
				JsonNode connected = client.next();
				assertThat(connected.propertyNames()).containsExactly("msg", "session");
				String session = connected.get("session").asString();
				assertThat(session).hasSize(17).isNotEqualTo("oldSessionIdXXXXX");
				assertThat(session.chars()).allMatch((c) -> ALPHABET.indexOf(c) >= 0);
				ids.add(session);
			}
		}
		assertThat(ids).hasSize(5);
	}

	@Test
	void trailingSlashPathServesTheSameEndpoint() {
		try (RawDdpClient client = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket/"))) {
			assertThat(client.call("1", "echo", "[1]").get("result")).isEqualTo(json("[1]"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"connect\",\"version\":1,\"support\":[\"1\"]}",
			"{\"msg\":\"connect\",\"support\":[\"1\"]}", "{\"msg\":\"connect\",\"version\":\"1\",\"support\":\"1\"}",
			"{\"msg\":\"connect\",\"version\":\"1\",\"support\":[1]}",
			"{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"pre2\"]}",
			"{\"msg\":\"connect\",\"version\":\"1\"}" })
	void invalidConnectIsRefusedWithVersionOneAndTheSocketCloses(String connect) {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send(connect);
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"failed\",\"version\":\"1\"}"));
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@Test
	void proposingAnOlderVersionWhileSupportingANewerOneIsRefusedWithTheNewer() {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"pre1\",\"support\":[\"1\",\"pre1\"]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"failed\",\"version\":\"1\"}"));
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@Test
	void unknownVersionsOnlyAreAnsweredWithTheServersFirstVersion() {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"2\",\"support\":[\"2\"]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"failed\",\"version\":\"1\"}"));
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "pre1", "pre2" })
	void olderVersionsAreAcceptedWhenProposedAlone(String version) {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"" + version + "\",\"support\":[\"" + version + "\"]}");
			assertThat(client.next().get("msg").asString()).isEqualTo("connected");
			assertThat(client.call("1", "echo", "[7]").get("result")).isEqualTo(json("[7]"));
		}
	}

	@Test
	void pre1SessionsAnswerPingWithBadRequest() {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send("{\"msg\":\"connect\",\"version\":\"pre1\",\"support\":[\"pre1\"]}");
			client.next();
			client.send("{\"msg\":\"ping\"}");
			assertThat(client.next()).isEqualTo(
					json("{\"msg\":\"error\",\"reason\":\"Bad request\",\"offendingMessage\":{\"msg\":\"ping\"}}"));
		}
	}

	@Test
	void pingIsAnsweredWithPongCarryingItsId() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"ping\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"pong\"}"));
			client.send("{\"msg\":\"ping\",\"id\":\"abc\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"pong\",\"id\":\"abc\"}"));
			client.send("{\"msg\":\"pong\",\"id\":\"x\"}");
		}
	}

	@Test
	void pingWithANonStringIdIsAnsweredAsByMeteor() {
		// Meteor 1.9.3 (interop/compare-frames.mjs): no answer for a truthy id that is no
		// string, a pong echoing a falsy one.
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"ping\",\"id\":7}");
			client.send("{\"msg\":\"ping\",\"id\":{\"a\":[1]}}");
			client.send("{\"msg\":\"ping\",\"id\":[]}");
			client.send("{\"msg\":\"ping\",\"id\":1e400}");
			client.send("{\"msg\":\"ping\",\"id\":null}");
			assertThat(client.nextText()).isEqualTo("{\"msg\":\"pong\",\"id\":null}");
			client.send("{\"msg\":\"ping\",\"id\":false}");
			assertThat(client.nextText()).isEqualTo("{\"msg\":\"pong\",\"id\":false}");
			client.send("{\"msg\":\"ping\",\"id\":-0.0}");
			assertThat(client.nextText()).isEqualTo("{\"msg\":\"pong\",\"id\":0}");
			client.send("{\"msg\":\"ping\",\"id\":\"\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"pong\",\"id\":\"\"}"));
			client.send("{\"msg\":\"ping\",\"id\":\"after\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"pong\",\"id\":\"after\"}"));
		}
	}

	@Test
	void pingIsAnsweredWhileAMethodBlocksTheQueue() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sleep\",\"params\":[1500]}");
			client.send("{\"msg\":\"ping\",\"id\":\"p\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"pong\",\"id\":\"p\"}"));
			assertThat(client.next((f) -> "result".equals(f.path("msg").asString())).get("result").asLong())
				.isEqualTo(1500);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{oops", "42", "\"x\"", "null", "true", "" })
	void textThatIsNotAJsonObjectIsABadRequestWithoutOffendingMessage(String text) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(text);
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"error\",\"reason\":\"Bad request\"}"));
			assertSessionStillWorks(client);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1,2]", "{\"a\":1}", "{\"msg\":\"\"}", "{\"msg\":0}", "{\"msg\":null}",
			"{\"msg\":\"bogus\"}", "{\"msg\":\"toString\"}", "{\"msg\":\"__proto__\"}", "{\"msg\":\"constructor\"}",
			"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"x\"}", "{\"msg\":17}" })
	void messagesWithoutAKnownTypeAreBadRequestsQuotingTheMessage(String text) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(text);
			JsonNode error = client.next();
			assertThat(error)
				.isEqualTo(json("{\"msg\":\"error\",\"reason\":\"Bad request\",\"offendingMessage\":" + text + "}"));
			assertSessionStillWorks(client);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = {
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[{\"$type\":\"unknown\",\"$value\":1}]}",
			"{\"msg\":\"changed\",\"collection\":\"c\",\"id\":\"x\",\"cleared\":\"a\"}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[{\"$binary\":\"***\"}]}" })
	void valuesEjsonCannotDecodeAreParseErrors(String text) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(text);
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"error\",\"reason\":\"Parse error\"}"));
			assertSessionStillWorks(client);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[]}",
			"{\"msg\":\"ping\"}", "{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"x\"}", "{\"msg\":\"bogus\"}" })
	void anythingButConnectBeforeConnectingMustConnectFirst(String text) {
		try (RawDdpClient client = RawDdpClient.open(uri())) {
			client.send(text);
			assertThat(client.next()).isEqualTo(
					json("{\"msg\":\"error\",\"reason\":\"Must connect first\",\"offendingMessage\":" + text + "}"));
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			assertThat(client.next().get("msg").asString()).isEqualTo("connected");
		}
	}

	@Test
	void secondConnectIsAlreadyConnectedAndLeavesTheSessionAlone() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.call("0", "setUser", "[\"kept\"]");
			String connect = "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}";
			client.send(connect);
			assertThat(client.next()).isEqualTo(
					json("{\"msg\":\"error\",\"reason\":\"Already connected\",\"offendingMessage\":" + connect + "}"));
			assertThat(client.call("1", "whoami", "[]").get("result").asString()).isEqualTo("kept");
		}
	}

	@Test
	void offendingMessageCarriesDatesAsIsoStringsLikeJsonStringify() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"method\",\"id\":5,\"method\":\"echo\",\"params\":[{\"$date\":5}]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"error\",\"reason\":\"Malformed method invocation\","
					+ "\"offendingMessage\":{\"msg\":\"method\",\"id\":5,\"method\":\"echo\",\"params\":[\"1970-01-01T00:00:00.005Z\"]}}"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"sub\",\"id\":1,\"name\":\"x\"}", "{\"msg\":\"sub\",\"id\":\"s\"}",
			"{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"x\",\"params\":{}}",
			"{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"x\",\"params\":null}" })
	void malformedSubscriptionsAreAnsweredAsSuch(String text) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(text);
			assertThat(client.next()).isEqualTo(json(
					"{\"msg\":\"error\",\"reason\":\"Malformed subscription\",\"offendingMessage\":" + text + "}"));
			assertSessionStillWorks(client);
		}
	}

	@Test
	void unknownPublicationIsANosubWith404AndUnsubOfUnknownIdIsANosub() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"nope\",\"params\":[]}");
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"s1\",\"error\":{\"isClientSafe\":true,"
						+ "\"error\":404,\"reason\":\"Subscription 'nope' not found\","
						+ "\"message\":\"Subscription 'nope' not found [404]\",\"errorType\":\"Meteor.Error\"}}"));
			client.send("{\"msg\":\"unsub\",\"id\":\"never\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"never\"}"));
			client.send("{\"msg\":\"unsub\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\"}"));
		}
	}

	@Test
	void unsubWithANumericIdDoesNotWedgeTheSession() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"unsub\",\"id\":5}");
			assertThat(client.next().get("reason").asString()).isEqualTo("Bad request");
			assertSessionStillWorks(client);
		}
	}

	@Test
	void binaryFramesAreIgnored() throws InterruptedException {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.sendBinary("{\"msg\":\"ping\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			client.expectSilence(Duration.ofMillis(300));
			assertSessionStillWorks(client);
		}
	}

	private static void assertSessionStillWorks(RawDdpClient client) {
		assertThat(client.call("after", "echo", "[\"still here\"]").get("result")).isEqualTo(json("[\"still here\"]"));
	}

}
