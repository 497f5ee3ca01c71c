package io.ddp.spring.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.collection.DuplicateDocumentException;
import io.ddp.spring.collection.RecordingPublisher;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Sort;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PostgresDocumentStore} behind {@link DdpCollection}, against a real
 * PostgreSQL.
 */
class PostgresDocumentStoreTests {

	private static final AtomicInteger collections = new AtomicInteger();

	private static DataSource dataSource;

	private final Ejson ejson = Ejson.createDefault();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final String name = "docs" + collections.incrementAndGet();

	@BeforeAll
	static void database() {
		dataSource = PostgresServer.shared().createDatabase("pgstore");
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	private PostgresDocumentStores instance() {
		PostgresDocumentStores stores = new PostgresDocumentStores(dataSource, this.ejson);
		this.closeables.add(stores);
		return stores;
	}

	private DdpCollection<Map<String, @Nullable Object>> collection(PostgresDocumentStores stores) {
		return DdpCollection.ofMaps(this.name, this.ejson, stores.store(this.name));
	}

	private JdbcClient sql() {
		return JdbcClient.create(dataSource);
	}

	@Test
	void aCollectionCountsAsListenedOnlyOnceItsOwnChannelIs() {
		PostgresDocumentStores stores = instance();
		PostgresDocumentStore observed = stores.store(this.name);
		PostgresDocumentStore other = stores.store(this.name + "_other");
		assertThat(observed.isListening()).isFalse();
		List<DocumentStore.ChangeNotice> notices = new CopyOnWriteArrayList<>();
		observed.listen(new DocumentStore.Listener() {

			@Override
			public void changed(List<DocumentStore.ChangeNotice> changes) {
				notices.addAll(changes);
			}

			@Override
			public void resynchronize() {
			}

		});
		await().until(observed::isListening);
		assertThat(stores.isListening()).isTrue();
		assertThat(other.isListening()).isFalse();
		// listened now: a write another instance makes from here on arrives
		collection(instance()).insert(document("a", "n", 1));
		await().until(() -> notices.stream().anyMatch((notice) -> notice.id().equals("a")));
	}

	@Test
	void createIndexDropsTheIndexOfTheSameSortOnTheOlderKey() {
		DdpCollection<Map<String, @Nullable Object>> docs = collection(instance());
		Sort sort = Sort.by("createdAt").descending();
		String table = "ddp_" + this.name;
		String superseded = SqlSort.supersededIndexName(table, sort);
		// what an earlier snapshot made: updated by every write, used by no query
		sql().sql("CREATE INDEX " + superseded + " ON " + table + " ((body -> 'createdAt'))").update();
		docs.createIndex(sort);
		List<String> indexes = sql().sql("SELECT indexname FROM pg_indexes WHERE tablename = ?")
			.param(table)
			.query(String.class)
			.list();
		assertThat(indexes).contains(SqlSort.indexName(table, sort)).doesNotContain(superseded);
		assertThat(superseded).isNotEqualTo(SqlSort.indexName(table, sort));
		// and again, with nothing to drop
		docs.createIndex(sort);
		assertThat(sql().sql("SELECT count(*) FROM pg_indexes WHERE tablename = ?")
			.param(table)
			.query(Long.class)
			.single()).isEqualTo(indexes.size());
	}

	@Test
	void writesThroughTheCollectionAreStoredAndServedAfterARestart() {
		DdpCollection<Map<String, @Nullable Object>> docs = collection(instance());
		assertThat(docs.insert(document("a", "text", "one", "count", 1))).isEqualTo("a");
		String generated = docs.insert(document(null, "text", "two"));
		assertThat(generated).hasSize(17);
		assertThatExceptionOfType(DuplicateDocumentException.class)
			.isThrownBy(() -> docs.insert(document("a", "text", "again")));
		assertThat(docs.update("a", Map.of("$inc", Map.of("count", 2), "$set", Map.of("tags", List.of("x"))))).isTrue();
		assertThat(docs.update("missing", Map.of("$set", Map.of("x", 1)))).isFalse();
		assertThat(docs.update(generated, (document) -> {
			Map<String, @Nullable Object> next = new TreeMap<>(document);
			next.put("text", "TWO");
			return next;
		})).isTrue();
		docs.upsert(document("b", "text", "three"));
		docs.upsert(document("b", "text", "THREE"));
		docs.insert(document("c", "text", "gone"));
		assertThat(docs.remove("c")).isTrue();
		assertThat(docs.remove("c")).isFalse();
		assertThat(docs.count()).isEqualTo(3);

		DdpCollection<Map<String, @Nullable Object>> restarted = collection(instance());
		assertThat(restarted.findById("a")).contains(document("a", "text", "one", "count", 3, "tags", List.of("x")));
		assertThat(restarted.findById(generated)).contains(document(generated, "text", "TWO"));
		assertThat(restarted.findById("b")).contains(document("b", "text", "THREE"));
		assertThat(restarted.findById("c")).isEmpty();
		assertThat(sql().sql("SELECT body->>'text' FROM " + table() + " WHERE _id = 'a'").query(String.class).single())
			.isEqualTo("one");
	}

	@Test
	void datesAreStoredAsEjsonAndReadBack() {
		DdpCollection<Map<String, @Nullable Object>> docs = collection(instance());
		java.time.Instant at = java.time.Instant.ofEpochMilli(1_700_000_000_123L);
		docs.insert(document("d", "at", at));
		assertThat(sql().sql("SELECT (body->'at'->>'$date')::bigint FROM " + table()).query(Long.class).single())
			.isEqualTo(1_700_000_000_123L);
		assertThat(collection(instance()).findById("d").orElseThrow().get("at")).isEqualTo(at);
	}

	@Test
	void plainSqlWritesReachASubscriber() {
		DdpCollection<Map<String, @Nullable Object>> docs = collection(instance());
		docs.insert(document("a", "text", "one"));
		RecordingPublisher subscriber = RecordingPublisher.subscribe(this.name, docs.find());
		assertThat(subscriber.documentsWithIds()).containsOnlyKeys("a");
		sql().sql("INSERT INTO " + table() + " (_id, body) VALUES ('b', '{\"text\": \"sql\"}')").update();
		sql().sql("UPDATE " + table() + " SET body = jsonb_set(body, '{text}', '\"changed\"') WHERE _id = 'a'")
			.update();
		await().untilAsserted(() -> assertThat(subscriber.documentsWithIds())
			.isEqualTo(Map.of("a", document("a", "text", "changed"), "b", document("b", "text", "sql"))));
		sql().sql("DELETE FROM " + table() + " WHERE _id = 'a'").update();
		await().untilAsserted(() -> assertThat(subscriber.documentsWithIds()).containsOnlyKeys("b"));
		assertThat(subscriber.errors()).isEmpty();
	}

	@Test
	void everyInstanceSendsTheFieldsInTheOrderTheyWereWritten() {
		DdpCollection<Map<String, @Nullable Object>> writer = collection(instance());
		DdpCollection<Map<String, @Nullable Object>> reader = collection(instance());
		RecordingPublisher onWriter = RecordingPublisher.subscribe(this.name, writer.find());
		RecordingPublisher onReader = RecordingPublisher.subscribe(this.name, reader.find());
		// jsonb would list done, text, owner {a, zz}, createdAt
		writer.insert(ordered("_id", "a", "text", "one", "done", false, "owner", ordered("zz", 1, "a", 2), "createdAt",
				java.time.Instant.ofEpochMilli(5)));
		writer.update("a", Map.of("$set", Map.of("by", "ann")));
		// already in jsonb's order: stored without a copy
		writer.insert(ordered("_id", "b", "n", 1, "tags", List.of(ordered("y", 1, "xx", 2))));
		List<String> expected = List.of(
				"added a {text=one, done=false, owner={zz=1, a=2}, createdAt=1970-01-01T00:00:00.005Z}",
				"changed a {text=one, done=false, owner={zz=1, a=2}, createdAt=1970-01-01T00:00:00.005Z, by=ann}",
				"added b {n=1, tags=[{y=1, xx=2}]}");
		// The writer's own listener may be delivering a notification that came back
		// early; it then delivers the writes that follow too (ChangeFeed's thread model)
		await().untilAsserted(() -> assertThat(onWriter.calls()).isEqualTo(expected));
		await().untilAsserted(() -> assertThat(onReader.calls()).isEqualTo(expected));
		// a third instance reads them from the table
		assertThat(RecordingPublisher.subscribe(this.name, collection(instance()).find()).calls()).containsExactly(
				"added a {text=one, done=false, owner={zz=1, a=2}, createdAt=1970-01-01T00:00:00.005Z, by=ann}",
				"added b {n=1, tags=[{y=1, xx=2}]}");
		assertThat(
				sql().sql("SELECT _id FROM " + table() + " WHERE ordered_body IS NOT NULL").query(String.class).list())
			.containsExactly("a");

		// plain SQL that changes the body alone drops the copy, which no longer matches
		sql().sql("UPDATE " + table() + " SET body = jsonb_set(body, '{text}', '\"sql\"') WHERE _id = 'a'").update();
		sql().sql("UPDATE " + table() + " SET created_at = now() WHERE _id = 'b'").update();
		await().untilAsserted(() -> assertThat(onReader.calls()).hasSize(4));
		assertThat(onReader.calls().get(3)).isEqualTo(
				"changed a {by=ann, done=false, text=sql, owner={a=2, zz=1}, createdAt=1970-01-01T00:00:00.005Z}");
		assertThat(sql().sql("SELECT count(*) FROM " + table() + " WHERE ordered_body IS NOT NULL")
			.query(Long.class)
			.single()).isZero();
		assertThat(onReader.errors()).isEmpty();
	}

	@Test
	void writesOfTwoInstancesConverge() {
		DdpCollection<Map<String, @Nullable Object>> first = collection(instance());
		DdpCollection<Map<String, @Nullable Object>> second = collection(instance());
		RecordingPublisher onFirst = RecordingPublisher.subscribe(this.name, first.find());
		RecordingPublisher onSecond = RecordingPublisher.subscribe(this.name, second.find());
		for (int i = 0; i < 5; i++) {
			first.insert(document("d" + i, "count", 0));
		}
		List<CompletableFuture<Void>> writers = new ArrayList<>();
		for (DdpCollection<Map<String, @Nullable Object>> instance : List.of(first, second)) {
			writers.add(CompletableFuture.runAsync(() -> {
				for (int n = 0; n < 50; n++) {
					instance.update("d" + (n % 5), Map.of("$inc", Map.of("count", 1)));
				}
			}));
		}
		CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
		first.remove("d4");
		second.insert(document("e", "count", 7));
		Map<String, Map<String, @Nullable Object>> expected = Map.of("d0", document("d0", "count", 20), "d1",
				document("d1", "count", 20), "d2", document("d2", "count", 20), "d3", document("d3", "count", 20), "e",
				document("e", "count", 7));
		assertThat(databaseState()).isEqualTo(expected);
		await().untilAsserted(() -> {
			assertThat(onFirst.documentsWithIds()).isEqualTo(expected);
			assertThat(onSecond.documentsWithIds()).isEqualTo(expected);
		});
		assertThat(onFirst.errors()).isEmpty();
		assertThat(onSecond.errors()).isEmpty();
	}

	@Test
	void subscribersCatchUpAfterPostgresRestarts() {
		PostgresDocumentStores watched = instance();
		DdpCollection<Map<String, @Nullable Object>> docs = collection(watched);
		DdpCollection<Map<String, @Nullable Object>> writer = collection(instance());
		RecordingPublisher subscriber = RecordingPublisher.subscribe(this.name, docs.find());
		await().until(watched::isListening);
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger written = new AtomicInteger();
		AtomicReference<RuntimeException> failure = new AtomicReference<>();
		CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
			while (writing.get()) {
				int n = written.get();
				try {
					writer.upsert(document("d" + (n % 20), "n", n));
					if (n % 7 == 0) {
						writer.remove("d" + ((n + 3) % 20));
					}
					written.incrementAndGet();
				}
				catch (RuntimeException ex) {
					// The database is restarting: the write is retried
					failure.set(ex);
				}
			}
		});
		await().atMost(Duration.ofSeconds(30)).failFast(() -> failure.get() != null).until(() -> written.get() > 50);
		PostgresServer.shared().restart();
		await().atMost(Duration.ofSeconds(30)).until(() -> watched.status().reconnects() >= 1 && watched.isListening());
		int after = written.get();
		await().atMost(Duration.ofSeconds(30)).until(() -> written.get() > after + 50);
		writing.set(false);
		writes.join();
		sql().sql("UPDATE " + table() + " SET body = '{\"n\": -1}' WHERE _id = 'd1'").update();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(subscriber.documentsWithIds()).isEqualTo(databaseState()));
		assertThat(subscriber.errors()).isEmpty();
	}

	@Test
	void anUpdateStartsFromTheVersionThisInstanceWroteAndReadsOnlyWhenAnotherWriterCameFirst() {
		CountingDataSource counting = new CountingDataSource(dataSource);
		DdpCollection<Map<String, @Nullable Object>> first = countedCollection(counting);
		DdpCollection<Map<String, @Nullable Object>> second = collection(instance());
		String quoted = '"' + table() + '"';
		first.insert(document("d", "count", 0));
		counting.reset();
		first.update("d", Map.of("$inc", Map.of("count", 1)));
		assertThat(counting.statements((sql) -> sql.contains(quoted))).singleElement()
			.satisfies((sql) -> assertThat(sql).contains("UPDATE " + quoted).doesNotContain("FROM " + quoted));
		// The other instance's write makes this one's version stale: whether its
		// notification came first or the compare-and-set fails, the update reads again
		second.update("d", Map.of("$inc", Map.of("count", 10)));
		first.update("d", Map.of("$inc", Map.of("count", 100)));
		first.update("d", Map.of("$inc", Map.of("count", 1000)));
		assertThat(databaseState()).isEqualTo(Map.of("d", document("d", "count", 1111)));
	}

	@Test
	void anotherInstancesWritesReachASubscriberFromTheirNotificationsAndOnlyLargeOnesAreFetched() {
		CountingDataSource counting = new CountingDataSource(dataSource);
		DdpCollection<Map<String, @Nullable Object>> reader = countedCollection(counting);
		DdpCollection<Map<String, @Nullable Object>> writer = collection(instance());
		RecordingPublisher subscriber = RecordingPublisher.subscribe(this.name, reader.find());
		String quoted = '"' + table() + '"';
		counting.reset();
		writer.insert(document("a", "text", "one", "when", Instant.ofEpochMilli(1_000)));
		writer.update("a", Map.of("$set", Map.of("text", "two")));
		await().untilAsserted(() -> assertThat(subscriber.documentsWithIds())
			.isEqualTo(Map.of("a", document("a", "text", "two", "when", Instant.ofEpochMilli(1_000)))));
		assertThat(counting.statements((sql) -> sql.contains(quoted))).isEmpty();
		// A body beyond a notification's 8,000 bytes is fetched
		String large = "x".repeat(10_000);
		writer.update("a", Map.of("$set", Map.of("text", large)));
		await().untilAsserted(() -> assertThat(subscriber.documentsWithIds())
			.isEqualTo(Map.of("a", document("a", "text", large, "when", Instant.ofEpochMilli(1_000)))));
		assertThat(counting.statements((sql) -> sql.contains(quoted))).singleElement()
			.satisfies((sql) -> assertThat(sql).startsWith("SELECT"));
		assertThat(subscriber.errors()).isEmpty();
	}

	// A collection of an instance whose statements are counted, once its listener has
	// read the table (its one re-read once it listens)
	private DdpCollection<Map<String, @Nullable Object>> countedCollection(CountingDataSource counting) {
		PostgresDocumentStores counted = new PostgresDocumentStores(counting.dataSource(), this.ejson);
		this.closeables.add(counted);
		DdpCollection<Map<String, @Nullable Object>> collection = collection(counted);
		String quoted = '"' + table() + '"';
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !counting.statements((sql) -> sql.startsWith("SELECT") && sql.contains(quoted)).isEmpty());
		return collection;
	}

	private String table() {
		return PostgresDocumentStores.tableName(this.name);
	}

	private Map<String, Map<String, @Nullable Object>> databaseState() {
		Map<String, Map<String, @Nullable Object>> state = new TreeMap<>();
		for (DocumentRecord record : new PostgresDocumentStores(dataSource, this.ejson).store(this.name).findAll()) {
			Map<String, @Nullable Object> document = new TreeMap<>(record.fields().asMap());
			document.put("_id", record.id());
			state.put(record.id(), document);
		}
		return state;
	}

	private static Map<String, @Nullable Object> ordered(Object... fields) {
		Map<String, @Nullable Object> document = new LinkedHashMap<>();
		for (int i = 0; i < fields.length; i += 2) {
			document.put((String) fields[i], fields[i + 1]);
		}
		return document;
	}

	private static Map<String, @Nullable Object> document(@Nullable String id, Object... fields) {
		Map<String, @Nullable Object> document = new TreeMap<>();
		if (id != null) {
			document.put("_id", id);
		}
		for (int i = 0; i < fields.length; i += 2) {
			document.put((String) fields[i], fields[i + 1]);
		}
		return document;
	}

}
