package io.ddp.spring.accounts.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpLoginToken;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JdbcDdpLoginTokenStore} against a real PostgreSQL: two stores on one
 * database stand for two instances.
 */
class JdbcDdpLoginTokenStoreTests {

	private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	private DataSource dataSource;

	private JdbcDdpLoginTokenStore a;

	// B listens on a shared listener, as the auto-configuration wires it
	private NotificationListener listenerOfB;

	private JdbcDdpLoginTokenStore b;

	private final List<DdpLoginToken> removedOnA = new CopyOnWriteArrayList<>();

	private final List<DdpLoginToken> removedOnB = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() {
		this.dataSource = PostgresServer.shared().createDatabase("tokens");
		this.a = new JdbcDdpLoginTokenStore(this.dataSource);
		this.a.initializeSchema();
		this.listenerOfB = new NotificationListener(this.dataSource);
		this.b = new JdbcDdpLoginTokenStore(this.dataSource, this.listenerOfB);
		// a second instance starting runs the idempotent script again
		this.b.initializeSchema();
		this.a.onRemoved(this.removedOnA::add);
		this.b.onRemoved(this.removedOnB::add);
		this.a.start();
		this.b.start();
		await().until(() -> this.a.isListening() && this.b.isListening());
	}

	@AfterEach
	void stop() {
		this.a.stop();
		this.b.stop();
		this.listenerOfB.close();
	}

	@Test
	void storesFindsAndRemovesTokens() {
		DdpLoginToken one = new DdpLoginToken("h1", "alice", NOW.minus(Duration.ofDays(2)));
		DdpLoginToken two = new DdpLoginToken("h2", "alice", NOW);
		DdpLoginToken three = new DdpLoginToken("h3", "bob", NOW);
		this.a.add(one);
		this.a.add(two);
		this.a.add(three);
		assertThat(this.b.findByHash("h1")).isEqualTo(one);
		assertThat(this.b.findByHash("nope")).isNull();
		assertThat(this.b.findByUser("alice")).containsExactly(one, two);
		assertThat(this.a.removeCreatedBefore(NOW.minus(Duration.ofDays(1)))).isEqualTo(1);
		assertThat(this.a.removeOthers("alice", "h2")).isZero();
		assertThat(this.a.removeOthers("bob", null)).isEqualTo(1);
		assertThat(this.a.remove("h2")).isTrue();
		assertThat(this.a.remove("h2")).isFalse();
		assertThat(this.b.findByUser("alice")).isEmpty();
		// reported once each on the instance that removed them, without waiting for
		// NOTIFY
		assertThat(this.removedOnA).containsExactly(one, three, two);
	}

	@Test
	void removalOnOneInstanceIsReportedOnTheOtherOnce() {
		DdpLoginToken token = new DdpLoginToken("h1", "alice", NOW);
		this.a.add(token);
		assertThat(this.b.findByHash("h1")).isEqualTo(token);
		this.a.remove("h1");
		await().until(() -> !this.removedOnB.isEmpty());
		assertThat(this.removedOnB).containsExactly(token);
		assertThat(this.removedOnA).containsExactly(token);
		await().until(() -> this.a.getNotificationCount() >= 1);
		// A's own notification came back: still reported once
		assertThat(this.removedOnA).containsExactly(token);
	}

	@Test
	void removalByPlainSqlIsReported() {
		DdpLoginToken token = new DdpLoginToken("h1", "alice", NOW);
		this.a.add(token);
		JdbcClient.create(this.dataSource).sql("DELETE FROM ddp_login_tokens WHERE user_id = 'alice'").update();
		await().until(() -> !this.removedOnA.isEmpty());
		assertThat(this.removedOnA).containsExactly(token);
		// B never saw the token: no connection of B can be logged in with it
		assertThat(this.removedOnB).isEmpty();
	}

	@Test
	void removalWhileListeningConnectionIsLostIsReportedAfterReconnecting() {
		DdpLoginToken token = new DdpLoginToken("h1", "alice", NOW);
		this.a.add(token);
		assertThat(this.b.findByHash("h1")).isNotNull();
		JdbcClient jdbc = JdbcClient.create(this.dataSource);
		// cut every listening connection, then remove the token, possibly before B
		// listens again
		jdbc.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"
				+ " AND pid <> pg_backend_pid()")
			.query(Boolean.class)
			.list();
		jdbc.sql("DELETE FROM ddp_login_tokens WHERE hashed_token = 'h1'").update();
		await().until(() -> !this.removedOnB.isEmpty());
		assertThat(this.removedOnB).containsExactly(token);
		await().until(() -> this.b.getReconnectCount() == 1 && this.b.isListening());
	}

	@Test
	void survivesARestartOfTheDatabaseSharingItsListenerWithCollections() {
		PostgresDocumentStores stores = new PostgresDocumentStores(this.dataSource, Ejson.createDefault(),
				this.listenerOfB);
		List<DocumentStore.ChangeNotice> notices = new CopyOnWriteArrayList<>();
		AtomicInteger resynchronized = new AtomicInteger();
		Runnable stopListening = stores.store("things").listen(new DocumentStore.Listener() {

			@Override
			public void changed(List<DocumentStore.ChangeNotice> changes) {
				notices.addAll(changes);
			}

			@Override
			public void resynchronize() {
				resynchronized.incrementAndGet();
			}

		});
		await().until(() -> resynchronized.get() == 1);
		DdpLoginToken token = new DdpLoginToken("h1", "alice", NOW);
		this.a.add(token);
		PostgresServer.shared().restart();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.a.getReconnectCount() >= 1 && this.a.isListening());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.b.getReconnectCount() >= 1 && this.b.isListening() && stores.isListening());
		// both channels of the shared connection catch up after reconnecting
		await().until(() -> resynchronized.get() >= 2);
		assertThat(this.b.findByHash("h1")).isEqualTo(token);
		this.a.remove("h1");
		await().until(() -> this.removedOnB.contains(token));
		JdbcClient.create(this.dataSource).sql("INSERT INTO ddp_things (_id, body) VALUES ('t1', '{}')").update();
		await().until(() -> notices.stream().anyMatch((notice) -> notice.id().equals("t1")));
		stopListening.run();
		stores.close();
	}

}
