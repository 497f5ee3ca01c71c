package io.ddp.spring.server;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input over real WebSocket connections (issue 11): every such message gets the
 * answer Meteor would give, no ERROR log and no close with 1011, and costs no other
 * session anything.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpHostileInputTests.Echo.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpHostileInputTests {

	@LocalServerPort
	int port;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		root().addAppender(this.logs);
	}

	@AfterEach
	void noErrorWasLogged() {
		root().detachAppender(this.logs);
		List<String> errors = this.logs.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.ERROR))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		assertThat(errors).as("ERROR lines from client input").isEmpty();
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Test
	void loneSurrogateInADocumentKeepsTheWriterAndEverySubscriberServed() {
		try (RawDdpClient subscriber = RawDdpClient.connected(uri());
				RawDdpClient writer = RawDdpClient.connected(uri())) {
			subscriber.send("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"openTodos\",\"params\":[\"evil\"]}");
			subscriber.next((frame) -> "ready".equals(frame.path("msg").asString()));
			JsonNode result = writer.call("1", "todos.add", "[\"evil\",\"evil \\ud800 text\"]");
			assertThat(result.get("result").isString()).isTrue();
			JsonNode added = subscriber.next((frame) -> "added".equals(frame.path("msg").asString()));
			assertThat(added.at("/fields/text").asString()).isEqualTo("evil \ud800 text");
			assertThat(writer.call("2", "todos.add", "[\"evil\",\"fine\"]").get("result").isString()).isTrue();
			assertThat(subscriber.next((frame) -> "added".equals(frame.path("msg").asString()))
				.at("/fields/text")
				.asString()).isEqualTo("fine");
			assertStillServed(subscriber);
			assertStillServed(writer);
		}
	}

	@Test
	void loneSurrogatesInAMethodResultAndAnEscapedValueAreSentAsEscapes() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(
					"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"\\udc00\",\"\\ud83d\\ude00\"]}");
			String frame = client.nextText();
			while (!frame.contains("\"result\"")) {
				frame = client.nextText();
			}
			assertThat(frame).contains("\"\\udc00\"").contains("\ud83d\ude00");
			assertThat(json(frame).get("result")).isEqualTo(json("[\"\\udc00\",\"\\ud83d\\ude00\"]"));
			JsonNode escaped = client.call("2", "echo", "[{\"$escape\":{\"$date\":\"\\ud83d\"}}]");
			assertThat(escaped.get("result")).isEqualTo(json("[{\"$escape\":{\"$date\":\"\\ud83d\"}}]"));
			assertStillServed(client);
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 309, 999 })
	void hugeNumberAsMsgIsABadRequest(int digits) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":" + "9".repeat(digits) + "}");
			assertThat(client.next().get("reason").asString()).isEqualTo("Bad request");
			assertStillServed(client);
		}
	}

	@Test
	void integersPastTheRangeOfADoubleAreInfinityAsInJavaScript() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			JsonNode result = client.call("1", "echo",
					"[" + "9".repeat(999) + ",-" + "9".repeat(400) + "," + "9".repeat(300) + "]");
			assertThat(result.get("result").get(0)).isEqualTo(json("{\"$InfNaN\":1}"));
			assertThat(result.get("result").get(1)).isEqualTo(json("{\"$InfNaN\":-1}"));
			assertThat(result.get("result").get(2).asDouble()).isEqualTo(1e300);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"bogus\",\"id\":%s}", "{\"msg\":\"sub\",\"id\":%s,\"name\":\"x\"}",
			"{\"msg\":\"method\",\"id\":%s,\"method\":\"echo\"}", "{\"msg\":\"unsub\",\"id\":%s}" })
	void idsNestedAsDeepAsTheParserAllowsAreAnswered(String template) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(template.formatted("[".repeat(499) + "]".repeat(499)));
			assertThat(client.next().get("msg").asString()).isEqualTo("error");
			assertStillServed(client);
		}
	}

	@Test
	void methodParamsAsDeepAsTheParserAllowsAreEchoed() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String deep = "[".repeat(498) + "]".repeat(498);
			JsonNode result = client.call("1", "echo", "[" + deep + "]");
			assertThat(result.get("result")).isEqualTo(json("[" + deep + "]"));
			assertStillServed(client);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "[{\"$date\":1}]", "[{\"$binary\":\"AAAA\"}]", "[{\"$regexp\":\"a\",\"$flags\":\"\"}]",
			"[{\"$InfNaN\":1}]" })
	void ejsonValueWhereAnInsertExpectsADocumentFailsTheMatch(String params) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			JsonNode result = client.call("1", "/tasks/insert", params);
			assertThat(result.at("/error/error").asInt()).isEqualTo(400);
			assertThat(result.at("/error/reason").asString()).isEqualTo("Match failed");
			assertStillServed(client);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"$date\":1}", "{\"$binary\":\"AAAA\"}", "{\"$regexp\":\"a\",\"$flags\":\"\"}",
			"{\"$InfNaN\":1}" })
	void ejsonValueWhereAnUpdateExpectsAModifierFailsTheMatch(String modifier) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String id = client.call("1", "/tasks/insert", "[{\"list\":\"u\"}]").get("result").asString();
			JsonNode result = client.call("2", "/tasks/update", "[\"" + id + "\"," + modifier + "]");
			assertThat(result.at("/error/error").asInt()).isEqualTo(400);
			assertThat(result.at("/error/reason").asString()).isEqualTo("Match failed");
			assertStillServed(client);
		}
	}

	@Test
	void reusedRandomSeedIsAClientSafeDuplicateKeyError() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String call = "{\"msg\":\"method\",\"id\":\"%s\",\"method\":\"%s\",\"params\":%s,\"randomSeed\":\"seed\"}";
			client.send(call.formatted("1", "todos.add", "[\"seeded\",\"a\"]"));
			assertThat(client.next((frame) -> "result".equals(frame.path("msg").asString())).has("result")).isTrue();
			client.send(call.formatted("2", "todos.add", "[\"seeded\",\"b\"]"));
			JsonNode duplicate = client.next((frame) -> "result".equals(frame.path("msg").asString()));
			assertThat(duplicate.at("/error/error").asInt()).isEqualTo(409);
			assertThat(duplicate.at("/error/isClientSafe").asBoolean()).isTrue();
			client.send(call.formatted("3", "/tasks/insert", "[{\"list\":\"seeded\"}]"));
			assertThat(client.next((frame) -> "result".equals(frame.path("msg").asString())).has("result")).isTrue();
			client.send(call.formatted("4", "/tasks/insert", "[{\"list\":\"seeded\"}]"));
			assertThat(client.next((frame) -> "result".equals(frame.path("msg").asString())).at("/error/error").asInt())
				.isEqualTo(409);
			assertStillServed(client);
		}
	}

	@Test
	void subWithoutParamsRunsThePublicationWithNoArguments() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"noCursors\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s\"]}"));
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"msg\":\"__proto__\"}", "{\"msg\":\"constructor\"}", "{\"msg\":\"toString\"}",
			"{\"msg\":{\"$date\":1}}", "{\"msg\":[1]}",
			"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[{\"$type\":\"nope\",\"$value\":1}]}" })
	void prototypeNamesAndHostileEjsonAreAnswered(String text) {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send(text);
			assertThat(client.next().get("msg").asString()).isEqualTo("error");
			assertStillServed(client);
		}
	}

	private static void assertStillServed(RawDdpClient client) {
		client.send("{\"msg\":\"ping\",\"id\":\"alive\"}");
		assertThat(client.next((frame) -> "pong".equals(frame.path("msg").asString())).get("id").asString())
			.isEqualTo("alive");
		assertThat(client.call("alive", "echo", "[\"still here\"]").get("result")).isEqualTo(json("[\"still here\"]"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Echo {

		@Bean
		EchoMethod echoMethod() {
			return new EchoMethod();
		}

		@Bean
		FuzzPublications fuzzPublications(@Qualifier("tasks") DdpCollection<Map<String, Object>> tasks) {
			return new FuzzPublications(tasks);
		}

	}

	static class FuzzPublications {

		private final DdpCollection<Map<String, Object>> tasks;

		FuzzPublications(DdpCollection<Map<String, Object>> tasks) {
			this.tasks = tasks;
		}

		// Null-safe, and publishing no document the fuzzed inserts make: a SockJS
		// subscriber of thousands of documents meets the output path's limits, which
		// are not what the input fuzz is about.
		@DdpPublication
		public DdpCursor<Map<String, Object>> fuzzTasks(String list) {
			return this.tasks.find("fuzz:" + list, (task) -> Objects.equals("fuzz-" + list, task.get("list")));
		}

	}

	static class EchoMethod {

		@DdpMethod
		public Object[] echo(Object... args) {
			return args;
		}

	}

}
