package io.ddp.sample.postgres;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample application with the {@code postgres} profile on one real
 * PostgreSQL database: one live todo list, one set of login tokens.
 */
class TwoInstancesTests {

	private PGSimpleDataSource database;

	private SampleInstances instances;

	private int portA;

	private int portB;

	private ConfigurableApplicationContext a;

	private ConfigurableApplicationContext b;

	@BeforeEach
	void start() {
		this.database = (PGSimpleDataSource) PostgresServer.shared().createDatabase("two_instances");
		this.instances = new SampleInstances(this.database);
		this.portA = TestSocketUtils.findAvailableTcpPort();
		this.portB = TestSocketUtils.findAvailableTcpPort();
		this.a = this.instances.start(this.portA);
		this.b = this.instances.start(this.portB);
	}

	@AfterEach
	void stop() {
		this.instances.close();
	}

	@Test
	void aClientOnASeesWhatBWritesThroughMethodsMutatorsAndSql() {
		try (RawDdp onA = new RawDdp(this.portA); RawDdp onB = new RawDdp(this.portB)) {
			onA.subscribe("todos", "[]");
			onB.subscribe("todos", "[]");
			String id = onB.call("todos.add", "[\"from B\"]").get("result").asString();
			String added = onA.awaitFrame((frame) -> frame.contains("\"msg\":\"added\"") && frame.contains(id));
			// the same frame as B's own subscriber gets, but for the order of the fields:
			// B sends its own write in the record's order, A reads it from jsonb
			assertThat(RawDdp.JSON
				.readTree(onB.awaitFrame((frame) -> frame.contains("\"msg\":\"added\"") && frame.contains(id))))
				.isEqualTo(RawDdp.JSON.readTree(added));
			assertThat(RawDdp.JSON.readTree(added).at("/fields/text").asString()).isEqualTo("from B");

			onB.call("/todos/update", "[{\"_id\":\"" + id + "\"},{\"$set\":{\"done\":true}}]");
			assertThat(onA.awaitFrame((frame) -> frame.contains("\"msg\":\"changed\"") && frame.contains(id)))
				.isEqualTo("{\"msg\":\"changed\",\"collection\":\"todos\",\"id\":\"" + id
						+ "\",\"fields\":{\"done\":true}}");

			JdbcClient sql = JdbcClient.create(this.database);
			sql.sql("INSERT INTO ddp_todos (_id, body) VALUES ('sql1',"
					+ " '{\"text\": \"by SQL\", \"done\": false, \"createdAt\": {\"$date\": 1700000000000}}')")
				.update();
			String sqlAdded = onA
				.awaitFrame((frame) -> frame.contains("\"msg\":\"added\"") && frame.contains("\"sql1\""));
			assertThat(RawDdp.JSON.readTree(sqlAdded)).isEqualTo(RawDdp.JSON.readTree("{\"msg\":\"added\","
					+ "\"collection\":\"todos\",\"id\":\"sql1\",\"fields\":{\"text\":\"by SQL\",\"done\":false,"
					+ "\"createdAt\":{\"$date\":1700000000000}}}"));
			sql.sql("DELETE FROM ddp_todos WHERE _id = 'sql1'").update();
			assertThat(onA.awaitFrame((frame) -> frame.contains("\"msg\":\"removed\"") && frame.contains("sql1")))
				.isEqualTo("{\"msg\":\"removed\",\"collection\":\"todos\",\"id\":\"sql1\"}");
			await().until(() -> !onB.documents.get("todos").containsKey("sql1"));
		}
	}

	@Test
	void aResumeTokenFromOneInstanceLogsInOnTheOtherAndAfterARestart() {
		String token = withUser(this.a, this.b);
		try (RawDdp onB = new RawDdp(this.portB)) {
			JsonNode login = onB.call("login", "[{\"resume\":\"" + token + "\"}]");
			assertThat(login.at("/result/id").asString()).isEqualTo("ann-id");
		}
		String id;
		try (RawDdp onA = new RawDdp(this.portA)) {
			id = onA.call("todos.add", "[\"kept\"]").get("result").asString();
		}
		this.a.close();
		this.a = this.instances.start(this.portA);
		this.a.getBean(DdpAccounts.class).newUser().id("ann-id").username("ann").create();
		try (RawDdp onA = new RawDdp(this.portA)) {
			assertThat(onA.call("login", "[{\"resume\":\"" + token + "\"}]").at("/result/id").asString())
				.isEqualTo("ann-id");
			onA.subscribe("todos", "[]");
			assertThat(onA.documents.get("todos")).containsKey(id);
			assertThat(onA.documents.get("todos").get(id).get("text").asString()).isEqualTo("kept");
		}
	}

	@Test
	void loggingOutOnOneInstanceClosesTheConnectionsOfThatTokenOnTheOther() {
		String token = withUser(this.a, this.b);
		try (RawDdp onA = new RawDdp(this.portA); RawDdp onB = new RawDdp(this.portB)) {
			onA.call("login", "[{\"resume\":\"" + token + "\"}]");
			onB.call("login", "[{\"resume\":\"" + token + "\"}]");
			onA.call("logout", "[]");
			await().atMost(Duration.ofSeconds(20)).until(onB::isClosed);
			assertThat(onA.isClosed()).isFalse();
		}
	}

	@Test
	void aMethodResentToTheOtherInstanceIsAnsweredWithTheFirstResult() {
		String token = withUser(this.a, this.b);
		try (RawDdp onA = new RawDdp(this.portA); RawDdp onB = new RawDdp(this.portB)) {
			onA.call("login", "[{\"resume\":\"" + token + "\"}]");
			onB.call("login", "[{\"resume\":\"" + token + "\"}]");
			onA.send("{\"msg\":\"method\",\"id\":\"9\",\"method\":\"todos.add\",\"params\":[\"once\"]}");
			String first = onA.awaitFrame((frame) -> frame.startsWith("{\"msg\":\"result\",\"id\":\"9\""));
			// the client reconnected to B and resends its unanswered call, same id
			onB.send("{\"msg\":\"method\",\"id\":\"9\",\"method\":\"todos.add\",\"params\":[\"once\"]}");
			assertThat(onB.awaitFrame((frame) -> frame.startsWith("{\"msg\":\"result\",\"id\":\"9\"")))
				.isEqualTo(first);
			assertThat(JdbcClient.create(this.database)
				.sql("SELECT count(*) FROM ddp_todos WHERE body->>'text' = 'once'")
				.query(Long.class)
				.single()).isOne();
		}
	}

	@Test
	void afterPostgresRestartsDuringWritesEverySubscriberHasExactlyTheDatabasesDocuments() {
		try (RawDdp onA = new RawDdp(this.portA);
				RawDdp onB = new RawDdp(this.portB);
				RawDdp writer = new RawDdp(this.portB)) {
			onA.subscribe("todos", "[]");
			onB.subscribe("todos", "[]");
			AtomicBoolean writing = new AtomicBoolean(true);
			AtomicInteger written = new AtomicInteger();
			Thread writes = new Thread(() -> {
				while (writing.get()) {
					// a call may fail or time out while the database restarts: the test
					// compares with what committed
					try {
						writer.call("todos.add", "[\"w" + written.incrementAndGet() + "\"]");
					}
					catch (RuntimeException ex) {
						// the next call tries again
					}
				}
			});
			writes.start();
			await().until(() -> written.get() > 20);
			PostgresServer.shared().restart();
			int afterRestart = written.get();
			await().atMost(Duration.ofSeconds(60)).until(() -> written.get() > afterRestart + 20);
			writing.set(false);
			await().until(() -> !writes.isAlive());
			Map<String, String> database = JdbcClient.create(this.database)
				.sql("SELECT _id, body->>'text' AS text FROM ddp_todos")
				.query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
				.list()
				.stream()
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			assertThat(database).hasSizeGreaterThan(20);
			for (RawDdp subscriber : List.of(onA, onB)) {
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(texts(subscriber)).isEqualTo(database));
			}
		}
	}

	private static Map<String, String> texts(RawDdp subscriber) {
		return subscriber.documents.getOrDefault("todos", Map.of())
			.entrySet()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, (entry) -> text(entry.getValue())));
	}

	private static String text(ObjectNode fields) {
		return fields.path("text").asString();
	}

	/** The user on both instances (users are the application's, in memory here). */
	private static String withUser(ConfigurableApplicationContext... instances) {
		for (ConfigurableApplicationContext instance : instances) {
			instance.getBean(DdpAccounts.class).newUser().id("ann-id").username("ann").create();
		}
		return instances[0].getBean(DdpAccounts.class).createLoginToken("ann-id");
	}

}
