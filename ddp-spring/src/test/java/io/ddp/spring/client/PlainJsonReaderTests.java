package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PlainJsonReader}: plain JSON read exactly as the EJSON value reader
 * reads it (values, classes and key order), and everything else left to Jackson.
 */
class PlainJsonReaderTests {

	private final Ejson ejson = Ejson.createDefault();

	@Test
	void plainValuesAreReadAsTheEjsonReaderReadsThem() {
		List<String> cases = List.of("42", "-7", "0", "2147483647", "2147483648", "-2147483649", "999999999999999999",
				"\"hello\"", "\"caf\u00e9 \u2028\"", "\"\"", "true", "false", "null", "[]", "{}",
				"[42,\"hello\",{\"a\":true}]", "{\"z\":1,\"a\":[1,[2,[3]]],\"m\":{\"k\":null}}",
				" [ 1 , { \"a\" : \"b\" } ]\n", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":{\"c\":{}}}}");
		for (String json : cases) {
			PlainJsonReader reader = new PlainJsonReader(json, 0);
			Object plain = reader.read();
			Object jackson = this.ejson.mapper().readValue(json, Object.class);
			assertThat(plain).as(json).isNotSameAs(PlainJsonReader.NOT_PLAIN).isEqualTo(jackson);
			assertSameClasses(plain, jackson);
			assertThat(reader.position()).as(json).isEqualTo(json.length());
		}
	}

	@Test
	void ejsonFormsEscapesFloatsAndBadTextAreNotPlain() {
		List<String> cases = List.of("{\"$date\":5}", "{\"a\":{\"$binary\":\"AA==\"}}", "{\"$escape\":{\"$date\":1}}",
				"1.5", "1e3", "-0", "007", "1234567890123456789", "\"quote\\\"d\"", "\"tab\there\"", "[1,]", "[1 2]",
				"{\"a\" 1}", "{a:1}", "nul", "tru", "[", "{\"a\":1", "\"open", "-", "+1", "NaN",
				"[".repeat(40) + "]".repeat(40));
		for (String json : cases) {
			assertThat(new PlainJsonReader(json, 0).read()).as(json).isSameAs(PlainJsonReader.NOT_PLAIN);
		}
	}

	@Test
	void readsFromAnOffsetAndStopsAfterTheValue() {
		String text = "{\"result\":[1,\"x\"]}";
		PlainJsonReader reader = new PlainJsonReader(text, 10);
		assertThat(reader.read()).isEqualTo(List.of(1, "x"));
		assertThat(reader.position()).isEqualTo(text.length() - 1);
	}

	private static void assertSameClasses(Object plain, Object jackson) {
		if (plain == null || jackson == null) {
			assertThat(plain).isSameAs(jackson);
			return;
		}
		assertThat(plain).hasSameClassAs(jackson);
		if (plain instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				assertSameClasses(list.get(i), ((List<?>) jackson).get(i));
			}
		}
		else if (plain instanceof Map<?, ?> map) {
			assertThat(plain).isInstanceOf(LinkedHashMap.class);
			assertThat(new ArrayList<>(map.keySet())).isEqualTo(new ArrayList<>(((Map<?, ?>) jackson).keySet()));
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				assertSameClasses(entry.getValue(), ((Map<?, ?>) jackson).get(entry.getKey()));
			}
		}
	}

}
