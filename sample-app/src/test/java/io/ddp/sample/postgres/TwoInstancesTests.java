package io.ddp.sample.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.jdbc.testing.PostgresCluster;
import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

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
	void start() throws IOException {
		this.database = (PGSimpleDataSource) PostgresServer.shared().createDatabase("two_instances");
		this.instances = new SampleInstances(this.database);
		// outside the ephemeral range: each instance restarts on its own port
		this.portA = PostgresCluster.freePort();
		this.portB = PostgresCluster.freePort();
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
			// the same frame as B's own subscriber gets (A reads B's field order from
			// ordered_body; compared as JSON here, not as text)
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
		try (RawDdp onA = new RawDdp(this.portA)) {
			assertThat(onA.call("login", "[{\"resume\":\"" + token + "\"}]").at("/result/id").asString())
				.isEqualTo("ann-id");
			onA.subscribe("todos", "[]");
			assertThat(onA.documents.get("todos")).containsKey(id);
			assertThat(onA.documents.get("todos").get(id).get("text").asString()).isEqualTo("kept");
		}
	}

	@Test
	void aUserCreatedOnOneInstanceLogsInOnTheOtherAndAfterARestart() {
		// the sample app forbids client sign-ups: the application creates the user on A
		String userId = this.a.getBean(DdpAccounts.class).newUser().username("zoe").password("secret").create().id();
		String login = "[{\"user\":{\"username\":\"zoe\"},\"password\":" + password("secret") + "}]";
		try (RawDdp onB = new RawDdp(this.portB)) {
			assertThat(onB.call("login", login).at("/result/id").asString()).isEqualTo(userId);
			// both instances seeded the demo user: one row, its password works on B
			assertThat(onB.call("login", "[{\"user\":{\"username\":\"demo\"},\"password\":" + password("demo") + "}]")
				.at("/result/id")
				.asString()).isEqualTo("demo-id");
		}
		assertThat(JdbcClient.create(this.database)
			.sql("SELECT count(*) FROM ddp_users WHERE username = 'demo'")
			.query(Long.class)
			.single()).isOne();
		this.b.close();
		this.b = this.instances.start(this.portB);
		try (RawDdp onB = new RawDdp(this.portB)) {
			assertThat(onB.call("login", login).at("/result/id").asString()).isEqualTo(userId);
		}
	}

	@Test
	void theLatestWindowMovesOnBothInstances() {
		try (RawDdp onA = new RawDdp(this.portA); RawDdp onB = new RawDdp(this.portB)) {
			List<String> ids = new ArrayList<>();
			for (String text : List.of("one", "two", "three")) {
				ids.add(onA.call("todos.add", "[\"" + text + "\"]").get("result").asString());
			}
			onA.subscribe("todos.latest", "[3]");
			onB.subscribe("todos.latest", "[3]");
			assertThat(onA.documents.get("todos")).containsOnlyKeys(ids);
			assertThat(onB.documents.get("todos")).containsOnlyKeys(ids);

			String four = onB.call("todos.add", "[\"four\"]").get("result").asString();
			for (RawDdp client : List.of(onA, onB)) {
				assertThat(client.awaitFrame((frame) -> frame.contains("\"msg\":\"removed\"")))
					.isEqualTo("{\"msg\":\"removed\",\"collection\":\"todos\",\"id\":\"" + ids.get(0) + "\"}");
				JsonNode added = RawDdp.JSON.readTree(
						client.awaitFrame((frame) -> frame.contains("\"msg\":\"added\"") && frame.contains(four)));
				assertThat(added.get("collection").asString()).isEqualTo("todos");
				assertThat(added.at("/fields/text").asString()).isEqualTo("four");
				assertThat(client.documents.get("todos")).containsOnlyKeys(ids.get(1), ids.get(2), four);
			}

			long newest = System.currentTimeMillis() + 86_400_000;
			JdbcClient.create(this.database)
				.sql("INSERT INTO ddp_todos (_id, body) VALUES ('sql1', '{\"text\": \"by SQL\", \"done\": false,"
						+ " \"createdAt\": {\"$date\": " + newest + "}}')")
				.update();
			for (RawDdp client : List.of(onA, onB)) {
				assertThat(client
					.awaitFrame((frame) -> frame.contains("\"msg\":\"removed\"") && frame.contains(ids.get(1))))
					.isEqualTo("{\"msg\":\"removed\",\"collection\":\"todos\",\"id\":\"" + ids.get(1) + "\"}");
				assertThat(RawDdp.JSON.readTree(
						client.awaitFrame((frame) -> frame.contains("\"msg\":\"added\"") && frame.contains("sql1"))))
					.isEqualTo(RawDdp.JSON.readTree("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"sql1\","
							+ "\"fields\":{\"text\":\"by SQL\",\"done\":false,\"createdAt\":{\"$date\":" + newest
							+ "}}}"));
				assertThat(client.documents.get("todos")).containsOnlyKeys(ids.get(2), four, "sql1");
			}
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
	void aProfileChangedOnOneInstanceReachesTheUsersConnectionOnTheOther() {
		String token = withUser(this.a, this.b);
		try (RawDdp onB = new RawDdp(this.portB)) {
			onB.call("login", "[{\"resume\":\"" + token + "\"}]");
			onB.awaitFrame((frame) -> frame.startsWith("{\"msg\":\"added\",\"collection\":\"users\""));
			DdpUserStore usersOfA = this.a.getBean(DdpAccounts.class).users();
			DdpUser ann = usersOfA.findById("ann-id");
			assertThat(ann).isNotNull();
			usersOfA.update(new DdpUser(ann.id(), ann.username(), ann.emails(), Map.of("city", "Oslo"), ann.roles(),
					ann.passwordHash(), ann.createdAt()));
			String changedUser = "{\"msg\":\"changed\",\"collection\":\"users\"";
			assertThat(onB.awaitFrame((frame) -> frame.startsWith(changedUser)))
				.isEqualTo("{\"msg\":\"changed\",\"collection\":\"users\",\"id\":\"ann-id\","
						+ "\"fields\":{\"profile\":{\"city\":\"Oslo\"}}}");
			// plain SQL, as an administrator would: the username
			JdbcClient.create(this.database).sql("UPDATE ddp_users SET username = 'anna' WHERE id = 'ann-id'").update();
			assertThat(onB.awaitFrame((frame) -> frame.startsWith(changedUser) && frame.contains("anna"))).isEqualTo(
					"{\"msg\":\"changed\",\"collection\":\"users\",\"id\":\"ann-id\",\"fields\":{\"username\":\"anna\"}}");
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

	// Users are in PostgreSQL: created on one instance, every instance has them
	private static String withUser(ConfigurableApplicationContext... instances) {
		instances[0].getBean(DdpAccounts.class).newUser().id("ann-id").username("ann").create();
		return instances[0].getBean(DdpAccounts.class).createLoginToken("ann-id");
	}

	private static String password(String password) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
			return "{\"digest\":\"" + HexFormat.of().formatHex(digest) + "\",\"algorithm\":\"sha-256\"}";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
