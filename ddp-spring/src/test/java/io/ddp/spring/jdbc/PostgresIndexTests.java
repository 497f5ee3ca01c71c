package io.ddp.spring.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.collection.RecordingPublisher;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sorted, limited live query over 100,000 documents in PostgreSQL: its window comes
 * from the index {@link DdpCollection#createIndex(Sort)} makes, and changes that do not
 * touch the window cost no query of it.
 */
class PostgresIndexTests {

	private static final int DOCUMENTS = 100_000;

	private static final long START = 1_700_000_000_000L;

	private static final Sort LATEST = Sort.by("createdAt").descending();

	private static final DdpQuery QUERY = DdpQuery.all().sort(LATEST).limit(50);

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final Ejson ejson = Ejson.createDefault();

	private static DataSource dataSource;

	private static CountingDataSource counting;

	private static PostgresDocumentStores stores;

	private static PostgresDocumentStores otherInstance;

	private static DdpCollection<Map<String, @Nullable Object>> todos;

	@BeforeAll
	static void hundredThousandDocuments() {
		dataSource = PostgresServer.shared().createDatabase("pgindex");
		counting = new CountingDataSource(dataSource);
		stores = new PostgresDocumentStores(counting.dataSource(), ejson);
		otherInstance = new PostgresDocumentStores(dataSource, ejson);
		todos = DdpCollection.ofMaps("todos", ejson, stores.store("todos"));
		// One statement; every 10th document has its date as a string, every 1,000th
		// none, so the order mixes types
		JdbcClient.create(dataSource)
			.sql("INSERT INTO ddp_todos (_id, body) SELECT 't' || i, CASE WHEN i % 1000 = 0 THEN '{}'::jsonb "
					+ "WHEN i % 10 = 0 THEN jsonb_build_object('createdAt', 'at ' || i) "
					+ "ELSE jsonb_build_object('createdAt', jsonb_build_object('$date', " + START
					+ " + i * 1000), 'text', 'todo ' || i) END FROM generate_series(1, " + DOCUMENTS + ") i")
			.update();
		todos.createIndex(LATEST);
		// Idempotent
		todos.createIndex(LATEST);
		JdbcClient.create(dataSource).sql("ANALYZE ddp_todos").update();
	}

	@AfterAll
	static void close() {
		stores.close();
		otherInstance.close();
	}

	@Test
	void theInitialWindowComesFromTheIndexAndNoChangeOutsideItQueriesTheDatabase() {
		counting.reset();
		RecordingPublisher subscriber = RecordingPublisher.subscribe("todos", todos.find(QUERY));
		List<String> windowQueries = counting.statements(PostgresIndexTests::isWindowQuery);
		assertThat(windowQueries).hasSize(1);
		String sql = windowQueries.get(0);
		// The plan of the statement the store ran: an index scan under the limit, no sort
		List<String> plan = JdbcClient.create(dataSource).sql("EXPLAIN " + sql).query(String.class).list();
		String indexName = SqlSort.indexName("ddp_todos", LATEST);
		assertThat(plan.get(0)).startsWith("Limit");
		assertThat(plan).anySatisfy((line) -> assertThat(line).contains("Index Scan using " + indexName));
		assertThat(plan).noneSatisfy((line) -> assertThat(line).containsPattern("(^|->  )(Incremental )?Sort\\b"));
		// What the subscriber shows is what Java's comparator selects from every document
		List<String> expected = ids(DocumentStore.select(QUERY, todos.store().findAll()));
		assertThat(expected).hasSize(50).startsWith("t99999", "t99998").doesNotContain("t99990");
		assertThat(subscriber.documentsWithIds().keySet()).containsExactlyInAnyOrderElementsOf(expected);

		counting.reset();
		// Writes outside the window (and its buffer) from another instance, then plain
		// SQL: no query of the window, and no fetch by id either, as the notification
		// carries the document
		DdpCollection<Map<String, @Nullable Object>> elsewhere = DdpCollection.ofMaps("todos", ejson,
				otherInstance.store("todos"));
		elsewhere.insert(Map.of("_id", "old1", "createdAt", Instant.ofEpochMilli(START + 1)));
		JdbcClient.create(dataSource)
			.sql("UPDATE ddp_todos SET body = body || '{\"text\": \"plain\"}'::jsonb WHERE _id = 't9'")
			.update();
		// From this instance: no query of the window either
		todos.insert(Map.of("_id", "old2", "createdAt", Instant.ofEpochMilli(START)));
		todos.update("t5", Map.of("$set", Map.of("text", "changed")));
		todos.update("t7", Map.of("$set", Map.of("createdAt", Instant.ofEpochMilli(START - 1))));
		todos.remove("t3");
		// A newer one enters: the oldest leaves, still without a query of the window;
		// once it shows, every earlier notification has been handled
		elsewhere.insert(Map.of("_id", "newest", "createdAt", Instant.ofEpochMilli(START + 2L * DOCUMENTS * 1000)));
		await().atMost(TIMEOUT).until(() -> subscriber.documentsWithIds().containsKey("newest"));
		List<String> window = new ArrayList<>(expected.subList(0, 49));
		window.add("newest");
		assertThat(subscriber.documentsWithIds().keySet()).containsExactlyInAnyOrderElementsOf(window);
		assertThat(counting.statements(PostgresIndexTests::isWindowQuery)).isEmpty();
		assertThat(fetchesById()).isEmpty();
		assertThat(subscriber.errors()).isEmpty();
	}

	private static List<String> fetchesById() {
		return counting.statements(PostgresIndexTests::isFetchById);
	}

	private static boolean isWindowQuery(String sql) {
		return sql.contains("ddp_sort_key") && sql.contains("ORDER BY");
	}

	private static boolean isFetchById(String sql) {
		return sql.contains(SqlSelector.IDS);
	}

	private static List<String> ids(List<DocumentRecord> records) {
		List<String> ids = new ArrayList<>();
		records.forEach((record) -> ids.add(record.id()));
		return ids;
	}

}
