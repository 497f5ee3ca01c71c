package io.ddp.spring.server;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Method calls over real WebSocket connections: validation (ddp-protocol.md 3.2),
 * execution and ordering (3.3), error objects (3.4), random streams (3.5, appendix A).
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpMethodTests {

	@LocalServerPort
	int port;

	@Autowired
	ProtocolTestApplication.ConnectionEvents connectionEvents;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"method\",\"method\":\"echo\",\"params\":[]}",
			"{\"msg\":\"method\",\"id\":1,\"method\":\"echo\",\"params\":[]}",
			"{\"msg\":\"method\",\"id\":\"1\",\"params\":[]}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":[\"echo\"],\"params\":[]}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":null}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":{\"a\":1}}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":{\"$date\":5}}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[],\"randomSeed\":5}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[],\"randomSeed\":null}" })
	void malformedMethodCallsGetNoResultAndNoUpdated(String text) throws InterruptedException {
		try (RawDdpClient client = connect()) {
			client.send(text);
			JsonNode error = client.next();
			assertThat(error.get("msg").asString()).isEqualTo("error");
			assertThat(error.get("reason").asString()).isEqualTo("Malformed method invocation");
			assertThat(error.has("offendingMessage")).isTrue();
			client.expectSilence(java.time.Duration.ofMillis(200));
		}
	}

	@Test
	void extraKeysAreIgnoredAndMissingParamsMeanNoArguments() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"argumentCount\",\"extra\":true}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"updated\",\"methods\":[\"1\"]}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"result\",\"id\":\"1\",\"result\":0}"));
		}
	}

	@Test
	void unknownMethodIs404FollowedByItsUpdated() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"7\",\"method\":\"nope\",\"params\":[]}");
			List<JsonNode> frames = List.of(client.next(), client.next());
			assertThat(frames).containsExactlyInAnyOrder(json("{\"msg\":\"updated\",\"methods\":[\"7\"]}"),
					json("{\"msg\":\"result\",\"id\":\"7\",\"error\":{\"isClientSafe\":true,\"error\":404,"
							+ "\"reason\":\"Method 'nope' not found\",\"message\":\"Method 'nope' not found [404]\","
							+ "\"errorType\":\"Meteor.Error\"}}"));
		}
	}

	@Test
	void methodWithoutWritesSendsUpdatedThenResult() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"math/add.ints\",\"params\":[2,3]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"updated\",\"methods\":[\"1\"]}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"result\",\"id\":\"1\",\"result\":5}"));
		}
	}

	@Test
	void voidAndUndefinedSendNoResultFieldWhileNullSendsNull() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "nothing", "[]")).isEqualTo(json("{\"msg\":\"result\",\"id\":\"1\"}"));
			assertThat(client.call("2", "undefinedResult", "[]")).isEqualTo(json("{\"msg\":\"result\",\"id\":\"2\"}"));
			assertThat(client.call("3", "futureVoid", "[]")).isEqualTo(json("{\"msg\":\"result\",\"id\":\"3\"}"));
			assertThat(client.call("4", "returnsNull", "[]"))
				.isEqualTo(json("{\"msg\":\"result\",\"id\":\"4\",\"result\":null}"));
		}
	}

	@Test
	void argumentsBindToRecordsGenericsOptionalsAndMissingTrailingNulls() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "movePoint", "[{\"x\":1,\"y\":2},[{\"x\":10,\"y\":0},{\"x\":0,\"y\":5}]]")
				.get("result")).isEqualTo(json("{\"x\":11,\"y\":7}"));
			assertThat(client.call("2", "optional", "[\"v\"]").get("result").asString()).isEqualTo("v:null");
			assertThat(client.call("3", "optional", "[]").get("result").asString()).isEqualTo("empty:null");
			assertThat(client.call("4", "echo", "[]").get("result")).isEqualTo(json("[]"));
		}
	}

	@Test
	void asynchronousResultsAreAwaited() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "future", "[\"a\"]").get("result").asString()).isEqualTo("a!");
			assertThat(client.call("2", "mono", "[\"b\"]").get("result").asString()).isEqualTo("b?");
			assertThat(client.call("3", "failingFuture", "[]").get("error")).isEqualTo(json("{\"isClientSafe\":true,"
					+ "\"error\":409,\"reason\":\"Conflict\",\"details\":[\"x\"],\"message\":\"Conflict [409]\","
					+ "\"errorType\":\"Meteor.Error\"}"));
		}
	}

	@Test
	void ddpExceptionsReachTheClientExactly() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "numericError", "[]").get("error")).isEqualTo(json("{\"isClientSafe\":true,"
					+ "\"error\":403,\"reason\":\"Forbidden\",\"message\":\"Forbidden [403]\",\"errorType\":\"Meteor.Error\"}"));
			assertThat(client.call("2", "codeOnly", "[]").get("error")).isEqualTo(json("{\"isClientSafe\":true,"
					+ "\"error\":\"just-a-code\",\"message\":\"[just-a-code]\",\"errorType\":\"Meteor.Error\"}"));
		}
	}

	@Test
	void otherExceptionsAreSanitizedTo500() {
		try (RawDdpClient client = connect()) {
			JsonNode internal = client.call("1", "internal", "[]");
			assertThat(internal.get("error")).isEqualTo(json("{\"isClientSafe\":true,\"error\":500,"
					+ "\"reason\":\"Internal server error\",\"message\":\"Internal server error [500]\","
					+ "\"errorType\":\"Meteor.Error\"}"));
			assertThat(internal.toString()).doesNotContain("secret detail");
			assertThat(client.call("2", "unserializable", "[]").get("error").get("error").asInt()).isEqualTo(500);
		}
	}

	@Test
	void argumentsThatDoNotBindAreMatchFailed() {
		try (RawDdpClient client = connect()) {
			JsonNode error = client.call("1", "math/add.ints", "[\"two\",3]").get("error");
			assertThat(error).isEqualTo(json("{\"isClientSafe\":true,\"error\":400,\"reason\":\"Match failed\","
					+ "\"message\":\"Match failed [400]\",\"errorType\":\"Meteor.Error\"}"));
			assertThat(client.call("2", "math/add.ints", "[1]").get("error").get("reason").asString())
				.isEqualTo("Match failed");
		}
	}

	@Test
	void beanValidationViolationsAreMatchFailedWithDetails() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "validated", "[\"ab\",2]").get("result").asString()).isEqualTo("abab");
			JsonNode error = client.call("2", "validated", "[\"\",0]").get("error");
			assertThat(error.get("error").asInt()).isEqualTo(400);
			assertThat(error.get("reason").asString()).isEqualTo("Match failed");
			assertThat(error.get("details")).hasSize(2);
			assertThat(error.get("details").get(0).get("path").asString()).isEqualTo("validated.count");
			assertThat(error.get("details").get(1).get("path").asString()).isEqualTo("validated.name");
		}
	}

	@Test
	void callsOnOneConnectionAnswerInOrderUnlessUnblocked() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sleep\",\"params\":[300]}");
			client.send("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"echo\",\"params\":[2]}");
			assertThat(resultIds(client, 2)).containsExactly("1", "2");
			client.send("{\"msg\":\"method\",\"id\":\"3\",\"method\":\"sleepUnblocked\",\"params\":[300]}");
			client.send("{\"msg\":\"method\",\"id\":\"4\",\"method\":\"echo\",\"params\":[4]}");
			assertThat(resultIds(client, 2)).containsExactly("4", "3");
		}
	}

	@Test
	void duplicateMethodIdsBothRunAndBothAnswer() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"d\",\"method\":\"echo\",\"params\":[1]}");
			client.send("{\"msg\":\"method\",\"id\":\"d\",\"method\":\"echo\",\"params\":[2]}");
			assertThat(resultIds(client, 2)).containsExactly("d", "d");
		}
	}

	@Test
	void setUserIdChangesTheUserForLaterCallsButNotAfterUnblock() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "whoami", "[]").get("result").isNull()).isTrue();
			client.call("2", "setUser", "[\"u1\"]");
			assertThat(client.call("3", "whoami", "[]").get("result").asString()).isEqualTo("u1");
			client.call("4", "setUser", "[null]");
			assertThat(client.call("5", "whoami", "[]").get("result").isNull()).isTrue();
			assertThat(client.call("6", "setUserAfterUnblock", "[\"u2\"]").get("error").get("error").asInt())
				.isEqualTo(500);
		}
	}

	@Test
	void randomStreamsFollowTheClientsSeedLikeMeteor() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"randomIds\",\"params\":[],"
					+ "\"randomSeed\":\"0123456789abcdef0123\"}");
			JsonNode result = client.next((f) -> "result".equals(f.path("msg").asString()));
			assertThat(result.get("result"))
				.isEqualTo(json("[\"0123456789abcdef0123\",\"devBuvC559TzDB3E9\",\"MjBCWTC6R4Tr5jJ3h\"]"));
			JsonNode unseeded = client.call("2", "randomIds", "[]").get("result");
			assertThat(unseeded.get(0).asString()).isEqualTo("null");
			assertThat(unseeded.get(1).asString()).hasSize(17).isNotEqualTo("devBuvC559TzDB3E9");
		}
	}

	@Test
	void invocationExposesNameConnectionAndAllowListedHeaders() {
		try (RawDdpClient client = RawDdpClient.open(URI.create("ws://127.0.0.1:" + this.port + "/websocket"),
				Map.of("User-Agent", "ddp-test", "X-Api-Key", "hidden"))) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			String session = client.next().get("session").asString();
			JsonNode context = client.call("1", "context", "[]").get("result");
			assertThat(context.get("name").asString()).isEqualTo("context");
			assertThat(context.get("simulation").asBoolean()).isFalse();
			assertThat(context.get("connection").asString()).isEqualTo(session);
			assertThat(context.get("address").asString()).isEqualTo("127.0.0.1");
			assertThat(context.get("transport").asString()).isEqualTo("websocket");
			assertThat(context.get("headers").get("user-agent").asString()).isEqualTo("ddp-test");
			assertThat(context.get("headers").has("host")).isTrue();
			assertThat(context.get("headers").has("x-api-key")).isFalse();
		}
	}

	@Test
	void serverSideCallsInheritTheCallersUser() {
		try (RawDdpClient client = connect()) {
			client.call("1", "setUser", "[\"nested-user\"]");
			assertThat(client.call("2", "nestedEcho", "[\"x\"]").get("result").asString()).isEqualTo("nested-user/[x]");
		}
	}

	@Test
	void connectionEventsArePublishedOnConnectAndClose() {
		String session;
		try (RawDdpClient client = connect()) {
			session = client.call("1", "context", "[]").get("result").get("connection").asString();
			// The method closes its own connection, so no result can arrive.
			client.send("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"closeMe\",\"params\":[]}");
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
		await().untilAsserted(() -> assertThat(this.connectionEvents.events)
			.filteredOn((event) -> event.getConnection().id().equals(session))
			.extracting((event) -> event.getClass().getSimpleName())
			.containsExactly("Opened", "Closed"));
	}

	private static List<String> resultIds(RawDdpClient client, int count) {
		List<String> ids = new ArrayList<>();
		while (ids.size() < count) {
			JsonNode frame = client.next();
			if ("result".equals(frame.path("msg").asString())) {
				ids.add(frame.get("id").asString());
			}
		}
		return ids;
	}

}
