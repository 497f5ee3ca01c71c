package io.ddp.spring.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the SQL translation of queries in {@link PostgresDocumentStore}: every query
 * selects what the in-memory store selects, in the same order.
 */
class PostgresQueryTests {

	private static final Ejson ejson = Ejson.createDefault();

	private static final Instant EARLY = Instant.ofEpochMilli(1_000_000);

	private static final Instant LATE = Instant.ofEpochMilli(2_000_000);

	private static PostgresDocumentStores stores;

	private static DdpCollection<Map<String, @Nullable Object>> postgres;

	private static DdpCollection<Map<String, @Nullable Object>> memory;

	@BeforeAll
	static void documents() {
		DataSource dataSource = PostgresServer.shared().createDatabase("pgquery");
		stores = new PostgresDocumentStores(dataSource, ejson);
		postgres = DdpCollection.ofMaps("things", ejson, stores.store("things"));
		memory = DdpCollection.ofMaps("things", ejson);
		List<Map<String, @Nullable Object>> documents = List.of(
				document("a", "n", 1, "s", "x", "tags", List.of("a", "b"), "at", EARLY, "nested", Map.of("k", 1)),
				document("b", "n", 2.5, "s", "y", "tags", List.of("b"), "at", LATE, "flag", true),
				document("c", "n", "3", "s", "x", "nested", Map.of("k", 2), "flag", false),
				document("d", "n", null, "tags", List.of()),
				document("e", "nested", List.of(Map.of("k", 1), Map.of("k", 3)), "s", "quote\"and\\slash"),
				document("f"));
		for (Map<String, @Nullable Object> document : documents) {
			postgres.insert(document);
			memory.insert(document);
		}
	}

	@AfterAll
	static void close() {
		stores.close();
	}

	@Test
	void queriesSelectWhatTheInMemoryStoreSelects() {
		List<String> selectors = List.of("{}", "{\"n\": 1}", "{\"n\": {\"$gt\": 1}}",
				"{\"n\": {\"$gte\": 1, \"$lt\": 3}}", "{\"s\": \"x\"}", "{\"tags\": \"b\"}",
				"{\"tags\": {\"$in\": [\"a\", \"z\"]}}", "{\"at\": {\"$gt\": {\"$date\": 1000000}}}",
				"{\"at\": {\"$date\": 2000000}}", "{\"nested.k\": 1}", "{\"nested.k\": {\"$gt\": 1}}",
				"{\"flag\": true}", "{\"flag\": {\"$exists\": true}}", "{\"n\": {\"$exists\": false}}",
				"{\"$or\": [{\"s\": \"y\"}, {\"n\": 1}]}", "{\"$nor\": [{\"s\": \"x\"}]}", "{\"n\": null}",
				"{\"s\": {\"$ne\": \"x\"}}", "{\"_id\": \"a\"}", "{\"_id\": {\"$in\": [\"a\", \"c\"]}}",
				"{\"s\": {\"$gt\": \"x\"}}", "{\"n\": {\"$in\": [1, 2.5]}}", "{\"s\": \"quote\\\"and\\\\slash\"}",
				"{\"tags\": []}", "{\"n\": {\"$not\": {\"$gt\": 1}}}", "{\"s\": {\"$regex\": \"^q\"}}",
				"{\"s\": {\"$regexp\": \"X\", \"$flags\": \"i\"}}", "{\"tags\": {\"$size\": 1}}",
				"{\"tags\": {\"$all\": [\"a\", \"b\"]}}", "{\"nested\": {\"$elemMatch\": {\"k\": {\"$gt\": 2}}}}",
				"{\"s\": {\"$in\": [{\"$regexp\": \"^y\", \"$flags\": \"\"}, \"x\"]}}",
				"{\"nested\": {\"$not\": {\"$elemMatch\": {\"k\": 3}}}}",
				"{\"$or\": [{\"tags\": {\"$size\": 0}}, {\"n\": 1}]}", "{\"n\": {\"$mod\": [2, 1]}}",
				"{\"tags\": {\"$type\": \"string\"}}", "{\"$or\": [{\"n\": {\"$type\": 1}}, {\"s\": \"x\"}]}");
		List<String> options = List.of("{}", "{\"limit\": 2}", "{\"sort\": {\"n\": -1}, \"limit\": 3}",
				"{\"skip\": 1, \"limit\": 2}", "{\"sort\": {\"_id\": -1}, \"skip\": 1}",
				"{\"sort\": {\"s\": 1, \"at\": -1}}");
		int compared = 0;
		for (String selector : selectors) {
			for (String option : options) {
				@SuppressWarnings("unchecked")
				DdpQuery query = DdpQuery.parse(ejson.parse(selector),
						(Map<String, ?>) Objects.requireNonNull(ejson.parse(option)));
				assertThat(ids(postgres.store().query(query))).as(selector + " " + option)
					.isEqualTo(ids(memory.store().query(query)));
				compared++;
			}
		}
		assertThat(compared).isEqualTo(selectors.size() * options.size());
	}

	@Test
	void idsWithQuotesBackslashesAndBracesAreLookedUpAsThemselves() {
		DdpCollection<Map<String, @Nullable Object>> odd = DdpCollection.ofMaps("odd_ids", ejson,
				stores.store("odd_ids"));
		List<String> oddIds = List.of("q\"uote", "back\\slash", "{a,b}", " spaced ", "NULL", "\u00e9\u2713", "\\\"");
		for (String id : oddIds) {
			odd.insert(document(id, "n", 1));
		}
		odd.insert(document("a"));
		List<String> wanted = new ArrayList<>(oddIds);
		wanted.add("missing");
		List<String> found = ids(odd.store().findAllById(wanted));
		assertThat(found).containsExactlyInAnyOrderElementsOf(oddIds);
		DdpQuery query = DdpQuery.parse(Map.of("_id", Map.of("$in", wanted)), Map.of());
		assertThat(ids(odd.store().query(query))).containsExactlyInAnyOrderElementsOf(oddIds);
		odd.close();
	}

	private static List<String> ids(List<DocumentRecord> records) {
		List<String> ids = new ArrayList<>();
		records.forEach((record) -> ids.add(record.id()));
		return ids;
	}

	private static Map<String, @Nullable Object> document(String id, @Nullable Object... fields) {
		Map<String, @Nullable Object> document = new HashMap<>();
		document.put("_id", id);
		for (int i = 0; i < fields.length; i += 2) {
			document.put((String) Objects.requireNonNull(fields[i]), fields[i + 1]);
		}
		return document;
	}

}
