package io.ddp.spring.autoconfigure;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginToken;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.InMemoryDdpLoginTokenStore;
import io.ddp.spring.accounts.InMemoryDdpUserStore;
import io.ddp.spring.accounts.jdbc.JdbcDdpLoginTokenStore;
import io.ddp.spring.accounts.jdbc.JdbcDdpUserStore;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.health.DdpJdbcHealthIndicator;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.PostgresDocumentStore;
import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.server.method.jdbc.JdbcDdpMethodDeduplicator;
import io.ddp.spring.server.publication.DocumentSnapshot;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DdpJdbcAutoConfiguration}, on a real PostgreSQL.
 */
class DdpJdbcAutoConfigurationTests {

	private static DataSource dataSource;

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class, DdpJdbcAutoConfiguration.class,
				DdpAccountsAutoConfiguration.class))
		.withBean(DataSource.class, () -> dataSource);

	@BeforeAll
	static void createDatabase() {
		dataSource = PostgresServer.shared().createDatabase("jdbc_autoconfig");
	}

	@Test
	void tokensStayInMemoryUnlessEnabled() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(DdpLoginTokenStore.class).isInstanceOf(InMemoryDdpLoginTokenStore.class);
			assertThat(context).getBean(DdpUserStore.class).isInstanceOf(InMemoryDdpUserStore.class);
			assertThat(context).doesNotHaveBean(JdbcDdpMethodDeduplicator.class);
			assertThat(context).doesNotHaveBean(DdpJdbcHealthIndicator.class);
		});
	}

	@Test
	void withoutTheDriverNothingChanges() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(PGConnection.class))
			.withPropertyValues("ddp.jdbc.enabled=true")
			.run((context) -> assertThat(context).getBean(DdpLoginTokenStore.class)
				.isInstanceOf(InMemoryDdpLoginTokenStore.class));
	}

	@Test
	void enabledKeepsTokensInTheDatabaseListeningWithHealthAndMeters() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always")
			.run((context) -> {
				JdbcDdpLoginTokenStore store = context.getBean(JdbcDdpLoginTokenStore.class);
				assertThat(context).getBean(DdpLoginTokenStore.class).isSameAs(store);
				store.add(new DdpLoginToken("hash", "ann", Instant.now()));
				assertThat(JdbcClient.create(dataSource)
					.sql("SELECT user_id FROM ddp_login_tokens WHERE hashed_token = 'hash'")
					.query(String.class)
					.single()).isEqualTo("ann");
				await().until(store::isListening);
				Health health = context.getBean(DdpJdbcHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsOnlyKeys("postgres");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(DdpJdbcListenerMetrics.class).bindTo(registry);
				assertThat(registry.get("ddp.jdbc.listening").tag("listener", "postgres").gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.get("ddp.jdbc.reconnects").tag("listener", "postgres").functionCounter().count())
					.isZero();
				JdbcClient.create(dataSource).sql("DELETE FROM ddp_login_tokens WHERE hashed_token = 'hash'").update();
				await().until(() -> registry.get("ddp.jdbc.notifications")
					.tag("listener", "postgres")
					.functionCounter()
					.count() >= 1);
			});
	}

	@Test
	void enabledKeepsUsersInTheDatabaseUnlessTurnedOff() {
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always")
			.run((context) -> {
				assertThat(context).getBean(DdpUserStore.class).isInstanceOf(JdbcDdpUserStore.class);
				// on the instance's listening connection: changes made elsewhere arrive
				await().until(context.getBean(JdbcDdpUserStore.class)::isListening);
				context.getBean(DdpAccounts.class).newUser().username("ann_jdbc").password("secret").create();
				assertThat(JdbcClient.create(dataSource)
					.sql("SELECT count(*) FROM ddp_users WHERE username = 'ann_jdbc'")
					.query(Long.class)
					.single()).isOne();
			});
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.users.enabled=false")
			.run((context) -> assertThat(context).getBean(DdpUserStore.class).isInstanceOf(InMemoryDdpUserStore.class));
	}

	@Test
	void theSchemaIsLeftAloneForANonEmbeddedDatabaseByDefault() {
		DataSource empty = PostgresServer.shared().createDatabase("jdbc_autoconfig_empty");
		this.contextRunner.withBean("empty", DataSource.class, () -> empty, (definition) -> definition.setPrimary(true))
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.method-dedup.enabled=true")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcDdpLoginTokenStore.class);
				assertThat(JdbcClient.create(empty)
					.sql("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'ddp_%'")
					.query(Long.class)
					.single()).isZero();
			});
	}

	@Test
	void methodDedupIsOptIn() {
		this.contextRunner
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always",
					"ddp.jdbc.method-dedup.enabled=true", "ddp.jdbc.method-dedup.retention=30s")
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcDdpMethodDeduplicator.class);
				assertThat(JdbcClient.create(dataSource)
					.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 'ddp_method_results'")
					.query(Long.class)
					.single()).isOne();
			});
	}

	@Test
	void collectionsGetPostgresStoresUnlessTurnedOff() {
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(PostgresDocumentStores.class));
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(PostgresDocumentStores.class));
	}

	@Test
	void collectionsCommitConcurrentWritesTogetherUnlessTurnedOff() {
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true")
			.run((context) -> assertThat(context.getBean(PostgresDocumentStores.class).isGroupCommit()).isTrue());
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.group-commit=false")
			.run((context) -> assertThat(context.getBean(PostgresDocumentStores.class).isGroupCommit()).isFalse());
	}

	@Test
	void commitsNotifyBeforeTheirFlushUnlessTurnedOff() {
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true")
			.run((context) -> assertThat(context.getBean(PostgresDocumentStores.class).isNotifyBeforeFlush()).isTrue());
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.notify-before-flush=false")
			.run((context) -> assertThat(context.getBean(PostgresDocumentStores.class).isNotifyBeforeFlush())
				.isFalse());
	}

	@Test
	void documentWritesAndTheirCommitsAreMetered() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(DdpJdbcStoreMetrics.class).bindTo(registry);
				PostgresDocumentStore store = context.getBean(PostgresDocumentStores.class).store("metered");
				store.insert("a", DocumentSnapshot.of(Map.of("n", 1)));
				assertThat(store.remove("a")).isNotNull();
				assertThat(registry.get("ddp.jdbc.document.writes").functionCounter().count()).isEqualTo(2.0);
				assertThat(registry.get("ddp.jdbc.document.commits").functionCounters())
					.hasSize(PostgresDocumentStores.documentGroupSizes().size());
				// One write at a time: each commit carried one
				assertThat(registry.get("ddp.jdbc.document.commits").tag("group.size", "1").functionCounter().count())
					.isEqualTo(2.0);
				assertThat(registry.get("ddp.jdbc.document.commits").tag("group.size", "2-3").functionCounter().count())
					.isZero();
				// Each write waited for a flush after its commit; the first write also
				// tried
				// the flush once before relying on it
				assertThat(registry.get("ddp.jdbc.document.flushes").functionCounter().count()).isEqualTo(3.0);
			});
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.enabled=false")
			.run((context) -> {
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(DdpJdbcStoreMetrics.class).bindTo(registry);
				assertThat(registry.find("ddp.jdbc.document.writes").meter()).isNull();
			});
	}

	@Test
	void collectionsKeepTheRecentDocumentsConfigured() {
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true")
			.run((context) -> assertThat(
					context.getBean(PostgresDocumentStores.class).store("recent").recentDocuments())
				.isEqualTo(DocumentStore.DEFAULT_RECENT_DOCUMENTS));
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.recent-documents=0")
			.run((context) -> assertThat(
					context.getBean(PostgresDocumentStores.class).store("recent").recentDocuments())
				.isZero());
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.recent-documents=250")
			.run((context) -> assertThat(
					context.getBean(PostgresDocumentStores.class).store("recent").recentDocuments())
				.isEqualTo(250));
		this.contextRunner.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.collections.recent-documents=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessage("ddp.jdbc.collections.recent-documents must not be negative, was -1"));
	}

	@Test
	void tokensAndCollectionsShareOneListeningConnection() {
		DataSource own = PostgresServer.shared().createDatabase("jdbc_autoconfig_listen");
		this.contextRunner.withBean("own", DataSource.class, () -> own, (definition) -> definition.setPrimary(true))
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always")
			.run((context) -> {
				NotificationListener listener = context.getBean(NotificationListener.class);
				PostgresDocumentStores stores = context.getBean(PostgresDocumentStores.class);
				List<DocumentStore.ChangeNotice> seen = new CopyOnWriteArrayList<>();
				stores.store("things").listen(new DocumentStore.Listener() {

					@Override
					public void changed(List<DocumentStore.ChangeNotice> notices) {
						seen.addAll(notices);
					}

					@Override
					public void resynchronize() {
					}

				});
				JdbcDdpLoginTokenStore tokens = context.getBean(JdbcDdpLoginTokenStore.class);
				// The store's channel is LISTENed on the listener thread's next turn: a
				// row
				// inserted before that sends a notification nobody receives.
				await().until(() -> tokens.isListening() && listener.isListening("ddp_things"));
				JdbcClient jdbc = JdbcClient.create(own);
				tokens.add(new DdpLoginToken("hash", "ann", Instant.now()));
				jdbc.sql("DELETE FROM ddp_login_tokens").update();
				jdbc.sql("INSERT INTO ddp_things (_id, body) VALUES ('t1', '{}')").update();
				await().until(() -> seen.size() == 1 && tokens.getNotificationCount() == 1);
				assertThat(listener.notificationCount()).isEqualTo(2);
				assertThat(jdbc
					.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
							+ " AND query LIKE 'LISTEN%'")
					.query(Long.class)
					.single()).isOne();
			});
	}

	@Test
	void theApplicationsListenerWins() {
		NotificationListener own = new NotificationListener(dataSource);
		this.contextRunner.withBean("myListener", NotificationListener.class, () -> own)
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always")
			.run((context) -> {
				assertThat(context).getBean(NotificationListener.class).isSameAs(own);
				// each store listens to its own channel on it, the tokens' and the users'
				await().until(() -> context.getBean(JdbcDdpLoginTokenStore.class).isListening()
						&& context.getBean(JdbcDdpUserStore.class).isListening());
				assertThat(own.isListening("ddp_login_tokens")).isTrue();
				assertThat(own.isListening("ddp_users")).isTrue();
			});
		own.close();
	}

	@Test
	void theApplicationsTokenStoreWins() {
		this.contextRunner.withUserConfiguration(OwnStore.class)
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.login-tokens.enabled=true")
			.run((context) -> {
				assertThat(context).getBean(DdpLoginTokenStore.class).isSameAs(context.getBean("myTokens"));
				assertThat(context).doesNotHaveBean(JdbcDdpLoginTokenStore.class);
				assertThat(context).getBean(DdpJdbcHealthIndicator.class)
					.satisfies((health) -> assertThat(health.health(true).getDetails()).containsOnlyKeys("postgres"));
			});
	}

	@Test
	void tokensCanStayInMemoryWhileMethodsAreDeduplicated() {
		this.contextRunner
			.withPropertyValues("ddp.jdbc.enabled=true", "ddp.jdbc.login-tokens.enabled=false",
					"ddp.jdbc.method-dedup.enabled=true", "ddp.jdbc.method-dedup.wait=1s")
			.run((context) -> {
				assertThat(context).getBean(DdpLoginTokenStore.class).isInstanceOf(InMemoryDdpLoginTokenStore.class);
				assertThat(context).hasSingleBean(JdbcDdpMethodDeduplicator.class);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStore {

		@Bean
		DdpLoginTokenStore myTokens() {
			return new InMemoryDdpLoginTokenStore();
		}

	}

}
