package io.ddp.spring.client;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DdpErrorObject;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ClientFrames}: the client's frames byte for byte in Meteor's key
 * order, and parsing of server frames with results bound to the caller's type.
 */
class ClientFramesTests {

	private final Ejson ejson = Ejson.createDefault();

	private final ClientFrames frames = new ClientFrames(this.ejson);

	@Test
	void connectFrames() {
		assertThat(this.frames.connect("1", List.of("1", "pre2", "pre1"), null))
			.isEqualTo("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}");
		assertThat(this.frames.connect("1", List.of("1"), "abc"))
			.isEqualTo("{\"msg\":\"connect\",\"session\":\"abc\",\"version\":\"1\",\"support\":[\"1\"]}");
	}

	@Test
	void methodFramesWithEjsonParams() {
		assertThat(
				this.frames.method("7", "echo", List.of(42, "hi", Instant.ofEpochMilli(5), Map.of("$date", 1)), null))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"7\",\"method\":\"echo\",\"params\":[42,\"hi\",{\"$date\":5},"
					+ "{\"$escape\":{\"$date\":1}}]}");
		assertThat(this.frames.method("8", "/tasks/insert", List.of(), "0123456789abcdef0123"))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"8\",\"method\":\"/tasks/insert\",\"params\":[],"
					+ "\"randomSeed\":\"0123456789abcdef0123\"}");
		assertThat(this.frames.method("9", "we\"ird\n", List.of(), null))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"9\",\"method\":\"we\\\"ird\\n\",\"params\":[]}");
	}

	@Test
	void plainParamsAreWrittenAsJacksonWritesThem() {
		Map<String, Object> nested = new LinkedHashMap<>();
		nested.put("z", List.of(1L, (short) 2, (byte) 3, false));
		nested.put("a", Collections.singletonMap("k", null));
		List<List<?>> cases = List.of(List.of(42, "hello", Map.of("a", true)), List.of(nested),
				List.of("tab\there", "\"quoted\"", "back\\slash", "caf\u00e9", "line\u2028sep"),
				List.of(1.5, Double.NaN, -0.0f), List.of(Map.of("$inc", 1)), List.of(new int[] { 1, 2 }),
				List.of(Map.of(1, "non-string key")), List.of(List
					.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of(List.of("deep"))))))))))));
		for (List<?> params : cases) {
			String expected = "{\"msg\":\"method\",\"id\":\"1\",\"method\":\"m\",\"params\":"
					+ this.ejson.mapper().writeValueAsString(params) + "}";
			assertThat(this.frames.method("1", "m", params, null)).isEqualTo(expected);
		}
	}

	@Test
	void mapperWithSortedKeysWritesEveryParamThroughJackson() {
		Ejson sorted = new Ejson(JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build());
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("b", 1);
		map.put("a", 2);
		assertThat(new ClientFrames(sorted).method("1", "m", List.of(map), null))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"m\",\"params\":[{\"a\":2,\"b\":1}]}");
	}

	@Test
	void subAndControlFrames() {
		assertThat(this.frames.sub("s", "items", List.of(3)))
			.isEqualTo("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"items\",\"params\":[3]}");
		assertThat(this.frames.unsub("s")).isEqualTo("{\"msg\":\"unsub\",\"id\":\"s\"}");
		assertThat(this.frames.pong("x")).isEqualTo("{\"msg\":\"pong\",\"id\":\"x\"}");
		assertThat(this.frames.ping(null)).isEqualTo("{\"msg\":\"ping\"}");
	}

	@Test
	void resultsAreBoundWhileParsing() {
		MethodInvoker invoker = new MethodInvoker("3", "m", "{}", CallOptions.defaults(),
				this.ejson.mapper().getTypeFactory().constructType(Instant.class), false, true, 0);
		IncomingMessage message = this.frames.parse("{\"msg\":\"result\",\"id\":\"3\",\"result\":{\"$date\":9}}",
				(id) -> id.equals("3") ? invoker : null);
		assertThat(message.decoded.value()).isEqualTo(Instant.ofEpochMilli(9));
	}

	@Test
	void plainResultsAreReadWithoutJacksonAsJacksonReadsThem() {
		MethodInvoker invoker = new MethodInvoker("4", "m", "{}", CallOptions.defaults(),
				this.ejson.mapper().getTypeFactory().constructType(Object.class), true, true, 0);
		List<String> results = List.of("[42,\"hello\",{\"a\":true}]", "{\"when\":{\"$date\":9}}", "1.5", "null");
		for (String result : results) {
			String text = "{\"msg\":\"result\",\"id\":\"4\",\"result\":" + result + "}";
			IncomingMessage message = this.frames.parse(text, (id) -> id.equals("4") ? invoker : null);
			assertThat(message.msg).isEqualTo("result");
			assertThat(message.id).isEqualTo("4");
			assertThat(message.hasResult).isTrue();
			assertThat(message.decoded.failure()).isNull();
			assertThat(message.decoded.value()).as(result).isEqualTo(this.ejson.parse(result));
		}
		IncomingMessage undefined = this.frames.parse("{\"msg\":\"result\",\"id\":\"4\"}", (id) -> invoker);
		assertThat(undefined.hasResult).isFalse();
		IncomingMessage unknown = this.frames.parse("{\"msg\":\"result\",\"id\":\"5\",\"result\":[1]}", (id) -> null);
		assertThat(unknown.decoded).isNull();
		assertThat(unknown.resultTree).isNotNull();
		IncomingMessage extra = this.frames
			.parse("{\"msg\":\"result\",\"id\":\"4\",\"result\":1,\"error\":{\"error\":500}}", (id) -> invoker);
		assertThat(extra.error).isNotNull();
		assertThat(extra.memberCount).isEqualTo(4);
	}

	@Test
	void scalarResultsSkipJacksonOnlyWhereJacksonBindsThemAsTheyAre() {
		Object failed = new Object();
		List<Class<?>> types = List.of(String.class, Integer.class, Long.class, Boolean.class);
		List<String> results = List.of("\"hi\"", "42", "-7", "3000000000", "true", "null", "\"42\"", "1.5",
				"\"caf\\u00e9\"", "[1]", "{\"a\":1}", "{\"$date\":9}");
		for (Class<?> type : types) {
			MethodInvoker invoker = new MethodInvoker("6", "m", "{}", CallOptions.defaults(),
					this.ejson.mapper().getTypeFactory().constructType(type), false, true, 0);
			for (String result : results) {
				Object expected;
				try {
					expected = this.ejson.mapper().readValue(result, type);
				}
				catch (RuntimeException ex) {
					expected = failed;
				}
				Object actual;
				try {
					IncomingMessage message = this.frames
						.parse("{\"msg\":\"result\",\"id\":\"6\",\"result\":" + result + "}", (id) -> invoker);
					actual = (message.decoded.failure() != null) ? failed : message.decoded.value();
				}
				catch (ClientFrames.ResultBindingException ex) {
					actual = failed;
				}
				assertThat(actual).as(type.getSimpleName() + " <- " + result).isEqualTo(expected);
				if (expected != null && expected != failed) {
					assertThat(actual).as(type.getSimpleName() + " <- " + result).isExactlyInstanceOf(type);
				}
			}
		}
	}

	@Test
	void mapperWithLongIntegersReadsEveryResultThroughJackson() {
		Ejson longs = new Ejson(JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build());
		ClientFrames frames = new ClientFrames(longs);
		MethodInvoker invoker = new MethodInvoker("4", "m", "{}", CallOptions.defaults(),
				longs.mapper().getTypeFactory().constructType(Object.class), true, true, 0);
		IncomingMessage message = frames.parse("{\"msg\":\"result\",\"id\":\"4\",\"result\":[42]}", (id) -> invoker);
		assertThat(message.decoded.value()).isEqualTo(List.of(42L));
	}

	@Test
	void updatedAndGreetings() {
		IncomingMessage updated = this.frames.parse("{\"msg\":\"updated\",\"methods\":[\"12\"]}", (id) -> null);
		assertThat(updated.msg).isEqualTo("updated");
		assertThat(updated.methods).containsExactly("12");
		IncomingMessage several = this.frames.parse("{\"msg\":\"updated\",\"methods\":[\"1\",\"2\"]}", (id) -> null);
		assertThat(several.methods).containsExactly("1", "2");
		IncomingMessage greeting = this.frames.parse("{\"server_id\":\"0\"}", (id) -> null);
		assertThat(greeting.msg).isNull();
		assertThat(greeting.hasServerId).isTrue();
	}

	@Test
	void errorObjectsBecomeDdpExceptions() {
		IncomingMessage message = this.frames.parse("{\"msg\":\"result\",\"id\":\"1\",\"error\":{\"isClientSafe\":true,"
				+ "\"error\":404,\"reason\":\"Method 'x' not found\",\"message\":\"Method 'x' not found [404]\","
				+ "\"errorType\":\"Meteor.Error\"}}", (id) -> null);
		var ex = DdpErrorObject.read(Objects.requireNonNull(message.error));
		assertThat(ex.hasError(404)).isTrue();
		assertThat(ex.getReason()).isEqualTo("Method 'x' not found");
	}

	@Test
	void passwordLoginSendsTheSha256Digest() {
		assertThat(ClientLogin.passwordRequest("alice", "secret"))
			.isEqualTo(Map.of("user", Map.of("username", "alice"), "password", Map.of("digest",
					"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b", "algorithm", "sha-256")));
		assertThat(ClientLogin.passwordRequest("a@b.c", "x").get("user")).isEqualTo(Map.of("email", "a@b.c"));
	}

}
