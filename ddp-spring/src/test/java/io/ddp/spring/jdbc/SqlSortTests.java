package io.ddp.spring.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import javax.sql.DataSource;

import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.ObjectId;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SqlSort}: PostgreSQL's order of {@code ddp_sort_key} is the order of
 * {@link Sort}'s Java comparator, over random mixed-type values.
 */
class SqlSortTests {

	private static final Ejson ejson = Ejson.createDefault();

	private static final String[] STRINGS = { "", "a", "ab", "b", "B", "é", "z\u00ff", "日本", "\uE000", "\uFFFF",
			"\uD83D\uDE00", "a\uD83D\uDE00", "a\uFFFD", "\uD7FF", "quote'\"", "a b" };

	private static final List<Sort> SORTS = List.of(Sort.by("v"), Sort.by("v").descending(), Sort.by("o.v"),
			Sort.by(Sort.Order.desc("o.v"), Sort.Order.asc("v")), Sort.by("list"), Sort.by("list").descending(),
			Sort.by("list.0"), Sort.by("list.x").descending(), Sort.by("list.0.v"), Sort.by("o.1.x").descending(),
			Sort.by("_id").and("v"), Sort.by("o"));

	private static DataSource dataSource;

	private static PostgresDocumentStores stores;

	@BeforeAll
	static void database() {
		dataSource = PostgresServer.shared().createDatabase("sqlsort");
		stores = new PostgresDocumentStores(dataSource, ejson);
	}

	@AfterAll
	static void close() {
		stores.close();
	}

	@Test
	void sqlOrderIsTheJavaComparatorsOverRandomMixedTypes() {
		int compared = 0;
		for (long seed = 0; seed < 4; seed++) {
			Random random = new Random(seed);
			PostgresDocumentStore store = stores.storeInTable("ddp_sorted_" + seed);
			for (int i = 0; i < 150; i++) {
				Map<String, @Nullable Object> fields = new LinkedHashMap<>();
				putRandom(random, fields, "v", 0);
				Object o = switch (random.nextInt(4)) {
					case 0 -> randomMap(random, 1);
					case 1 -> List.of(randomMap(random, 1), randomMap(random, 1));
					default -> value(random, 1);
				};
				fields.put("o", o);
				if (random.nextInt(4) > 0) {
					List<@Nullable Object> list = new ArrayList<>();
					for (int j = random.nextInt(4); j > 0; j--) {
						list.add(random.nextBoolean() ? value(random, 1) : randomMap(random, 1));
					}
					fields.put("list", list);
				}
				store.insert(id(random, i), snapshot(inJsonbOrder(fields)));
			}
			JdbcClient jdbc = JdbcClient.create(dataSource);
			for (Sort sort : SORTS) {
				Long unordered = jdbc
					.sql("SELECT count(*) FROM " + store.table() + " WHERE " + SqlSort.key(sort) + " IS NULL")
					.query(Long.class)
					.single();
				assertThat(unordered).as("documents without an exact key for " + sort).isZero();
				for (DdpQuery query : List.of(DdpQuery.all().sort(sort), DdpQuery.all().sort(sort).limit(7),
						DdpQuery.all().sort(sort).skip(40).limit(25))) {
					assertThat(ids(store.query(query))).as("seed " + seed + " " + query)
						.isEqualTo(ids(DocumentStore.select(query, store.findAll())));
					compared++;
				}
			}
		}
		assertThat(compared).isEqualTo(4 * SORTS.size() * 3);
	}

	@Test
	void valuesWithoutAnExactKeyAreSortedInJava() {
		PostgresDocumentStore store = stores.storeInTable("ddp_sorted_inexact");
		store.insert("a", snapshot(Map.of("v", 2)));
		store.insert("b", snapshot(Map.of("v", 1)));
		JdbcClient jdbc = JdbcClient.create(dataSource);
		// Written as plain SQL: a regular expression and NaN, which have no exact key
		jdbc.sql(
				"INSERT INTO ddp_sorted_inexact (_id, body) VALUES ('c', '{\"v\": {\"$regexp\": \"x\", \"$flags\": \"\"}}')")
			.update();
		jdbc.sql("INSERT INTO ddp_sorted_inexact (_id, body) VALUES ('d', '{\"v\": 1.5}')").update();
		for (Sort sort : List.of(Sort.by("v"), Sort.by("v").descending())) {
			for (DdpQuery query : List.of(DdpQuery.all().sort(sort), DdpQuery.all().sort(sort).limit(2),
					DdpQuery.all().sort(sort).skip(1).limit(2))) {
				assertThat(ids(store.query(query))).as(query.toString())
					.isEqualTo(ids(DocumentStore.select(query, store.findAll())));
			}
		}
		assertThat(ids(store.query(DdpQuery.all().sort(Sort.by("v").descending()).limit(2)))).containsExactly("c", "a");
	}

	@Test
	void objectsOfSeveralKeysInWrittenOrderAreSortedInJava() {
		PostgresDocumentStore store = stores.storeInTable("ddp_sorted_written_order");
		// Minimongo compares {x, v} key by key in this order; jsonb would store v first
		store.insert("a", snapshot(Map.of("o", map("x", 1, "v", 9))));
		store.insert("b", snapshot(Map.of("o", map("x", 2, "v", 0))));
		store.insert("c", snapshot(Map.of("o", map("x", 1, "v", 5))));
		store.insert("d", snapshot(Map.of("o", map("v", 7))));
		JdbcClient jdbc = JdbcClient.create(dataSource);
		Long inexact = jdbc
			.sql("SELECT count(*) FROM ddp_sorted_written_order WHERE " + SqlSort.key(Sort.by("o")) + " IS NULL")
			.query(Long.class)
			.single();
		assertThat(inexact).isEqualTo(3);
		for (Sort sort : List.of(Sort.by("o"), Sort.by("o").descending())) {
			for (DdpQuery query : List.of(DdpQuery.all().sort(sort), DdpQuery.all().sort(sort).limit(2))) {
				assertThat(ids(store.query(query))).as(query.toString())
					.isEqualTo(ids(DocumentStore.select(query, store.findAll())));
			}
		}
		assertThat(ids(store.query(DdpQuery.all().sort(Sort.by("o"))))).containsExactly("d", "c", "a", "b");
	}

	private static Map<String, @Nullable Object> map(Object... keysAndValues) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	private static String id(Random random, int i) {
		// Ties are broken by id, compared as UTF-16 code units
		return switch (random.nextInt(4)) {
			case 0 -> "\uE000" + i;
			case 1 -> "\uD83D\uDE00" + i;
			default -> "id" + i;
		};
	}

	private static Map<String, @Nullable Object> randomMap(Random random, int depth) {
		Map<String, @Nullable Object> map = new LinkedHashMap<>();
		for (int i = random.nextInt(3); i >= 0; i--) {
			putRandom(random, map, (i == 0) ? "v" : "x", depth);
		}
		return inJsonbOrder(map);
	}

	// Written in jsonb's key order (length, then bytes), the row keeps no ordered_body
	// and
	// every object has an exact key
	private static Map<String, @Nullable Object> inJsonbOrder(Map<String, @Nullable Object> map) {
		Map<String, @Nullable Object> ordered = new LinkedHashMap<>();
		map.keySet()
			.stream()
			.sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder()))
			.forEach((key) -> ordered.put(key, map.get(key)));
		return ordered;
	}

	// Missing one time in eight
	private static void putRandom(Random random, Map<String, @Nullable Object> map, String key, int depth) {
		if (random.nextInt(8) > 0) {
			map.put(key, value(random, depth));
		}
	}

	private static @Nullable Object value(Random random, int depth) {
		int kind = random.nextInt((depth < 2) ? 11 : 9);
		return switch (kind) {
			case 0 -> null;
			case 1 -> switch (random.nextInt(8)) {
				case 0 -> 0L;
				case 1 -> -0.0;
				case 2 -> (long) random.nextInt(7) - 3;
				case 3 -> (1L << 53) + random.nextInt(5) * (random.nextBoolean() ? 1 : -1) * 1_000_001L;
				case 4 ->
					random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(3) : Long.MIN_VALUE + random.nextInt(3);
				case 5 -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
				case 6 -> random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
				default -> random.nextInt(5) + 0.5;
			};
			case 2, 3 -> STRINGS[random.nextInt(STRINGS.length)];
			case 4 -> random.nextBoolean();
			case 5 -> Instant.ofEpochMilli((random.nextLong() % 4_000_000_000_000L));
			case 6 -> {
				byte[] bytes = new byte[random.nextInt(4)];
				random.nextBytes(bytes);
				yield bytes;
			}
			case 7 -> new ObjectId(String.format("%024x", random.nextInt(1000)));
			case 8 -> (long) random.nextInt(3);
			case 9 -> {
				List<@Nullable Object> list = new ArrayList<>();
				for (int i = random.nextInt(3); i > 0; i--) {
					list.add(value(random, depth + 1));
				}
				yield list;
			}
			default -> randomMap(random, depth + 1);
		};
	}

	// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type argument
	@SuppressWarnings("NullAway")
	private static DocumentSnapshot snapshot(Map<String, ? extends @Nullable Object> fields) {
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> parsed = (Map<String, @Nullable Object>) Objects
			.requireNonNull(ejson.parse(ejson.stringify(fields)));
		return DocumentSnapshot.of(parsed);
	}

	private static List<String> ids(List<DocumentRecord> records) {
		List<String> ids = new ArrayList<>();
		records.forEach((record) -> ids.add(record.id()));
		return ids;
	}

}
