package io.ddp.spring.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JsonbKeyOrder} against the order a real PostgreSQL gives jsonb keys.
 */
class JsonbKeyOrderTests {

	// ASCII, and characters of 2, 3 (one below and one above the surrogates) and 4 UTF-8
	// bytes
	private static final String[] PARTS = { "a", "b", "Z", "_", "$", "é", "€", "\uE000", "😀" };

	@Test
	void keysOrderAsJsonbOrdersThem() {
		JdbcClient sql = JdbcClient.create(PostgresServer.shared().createDatabase("jsonb_order"));
		Ejson ejson = Ejson.createDefault();
		Random random = new Random(12);
		for (int round = 0; round < 200; round++) {
			Set<String> keys = new LinkedHashSet<>();
			int count = 1 + random.nextInt(6);
			while (keys.size() < count) {
				StringBuilder key = new StringBuilder();
				for (int i = random.nextInt(4); i > 0; i--) {
					key.append(PARTS[random.nextInt(PARTS.length)]);
				}
				keys.add(key.toString());
			}
			Map<String, Object> object = new LinkedHashMap<>();
			keys.forEach((key) -> object.put(key, 1));
			String json = ejson.stringify(object);
			List<String> jsonb = sql.sql("SELECT jsonb_object_keys(?::jsonb)").param(json).query(String.class).list();
			List<String> sorted = new ArrayList<>(keys);
			sorted.sort(JsonbKeyOrder::compare);
			assertThat(sorted).as(json).isEqualTo(jsonb);
			assertThat(JsonbKeyOrder.isJsonbOrder(json)).as(json).isEqualTo(jsonb.equals(List.copyOf(keys)));
			// the same object nested, after keys in order
			String nested = "{\"a\":[1,{\"b\":" + json + "}],\"bb\":2}";
			assertThat(JsonbKeyOrder.isJsonbOrder(nested)).as(nested).isEqualTo(jsonb.equals(List.copyOf(keys)));
		}
		assertThat(JsonbKeyOrder.isJsonbOrder("{\"bb\":{\"a\":1},\"a\":2}")).isFalse();
		assertThat(JsonbKeyOrder.isJsonbOrder("{\"a\":{\"bb\":1,\"c\":2},\"bb\":2}")).isFalse();
		assertThat(JsonbKeyOrder.isJsonbOrder("{\"a\":{\"c\":1,\"bb\":2},\"bb\":2}")).isTrue();
	}

}
