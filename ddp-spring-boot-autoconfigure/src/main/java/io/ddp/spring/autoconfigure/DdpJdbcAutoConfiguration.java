package io.ddp.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.jdbc.JdbcDdpLoginTokenStore;
import io.ddp.spring.accounts.jdbc.JdbcDdpUserStore;
import io.ddp.spring.health.DdpJdbcHealthIndicator;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.jdbc.JdbcDdpMethodDeduplicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of DDP's data in the application's PostgreSQL {@link DataSource},
 * with {@code ddp.jdbc.enabled=true}: {@link PostgresDocumentStores} for the
 * application's collections, the accounts' users ({@link JdbcDdpUserStore}) and resume
 * tokens ({@link JdbcDdpLoginTokenStore}), the optional deduplication of resent method
 * calls ({@link JdbcDdpMethodDeduplicator}), the one connection of the instance that
 * listens for other writers' changes ({@link NotificationListener}), its health
 * ({@code ddpJdbc}) and its meters. The schema is created as
 * {@code ddp.jdbc.initialize-schema} says. Every bean backs off when the application
 * defines its own.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpEjsonAutoConfiguration.class,
		before = { DdpAccountsAutoConfiguration.class, DdpServerAutoConfiguration.class },
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcClient.class, PGConnection.class, EmbeddedDatabaseConnection.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty("ddp.jdbc.enabled")
@EnableConfigurationProperties(DdpJdbcProperties.class)
public final class DdpJdbcAutoConfiguration {

	static boolean initializeSchema(DataSource dataSource, DdpJdbcProperties properties) {
		return switch (properties.getInitializeSchema()) {
			case ALWAYS -> true;
			case NEVER -> false;
			case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(dataSource);
		};
	}

	static List<DdpJdbcHealthIndicator.Listener> listeners(ObjectProvider<NotificationListener> listener) {
		List<DdpJdbcHealthIndicator.Listener> listeners = new ArrayList<>();
		listener.ifAvailable((connection) -> listeners.add(new DdpJdbcHealthIndicator.Listener("postgres",
				// not listening before the first channel is listened to: nothing to miss
				// yet
				() -> connection.isListening()
						|| (connection.status().reconnects() == 0 && connection.status().lastError() == null),
				connection::isListening, () -> connection.status().reconnects(), connection::notificationCount)));
		return listeners;
	}

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	NotificationListener ddpNotificationListener(DataSource dataSource) {
		return new NotificationListener(dataSource);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DdpAccounts.class)
	@ConditionalOnBooleanProperty(name = "ddp.jdbc.login-tokens.enabled", matchIfMissing = true)
	static class LoginTokensConfiguration {

		@Bean
		@ConditionalOnMissingBean(DdpLoginTokenStore.class)
		JdbcDdpLoginTokenStore ddpLoginTokenStore(DataSource dataSource, NotificationListener listener,
				DdpJdbcProperties properties) {
			JdbcDdpLoginTokenStore store = new JdbcDdpLoginTokenStore(dataSource, listener);
			if (initializeSchema(dataSource, properties)) {
				store.initializeSchema();
			}
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DdpAccounts.class)
	@ConditionalOnBooleanProperty(name = "ddp.jdbc.users.enabled", matchIfMissing = true)
	static class UsersConfiguration {

		@Bean
		@ConditionalOnMissingBean(DdpUserStore.class)
		JdbcDdpUserStore ddpUserStore(DataSource dataSource, NotificationListener listener,
				DdpJdbcProperties properties) {
			JdbcDdpUserStore store = new JdbcDdpUserStore(dataSource, listener);
			if (initializeSchema(dataSource, properties)) {
				store.initializeSchema();
			}
			return store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = "ddp.jdbc.collections.enabled", matchIfMissing = true)
	static class CollectionsConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		PostgresDocumentStores ddpDocumentStores(DataSource dataSource, Ejson ejson, NotificationListener listener,
				DdpJdbcProperties properties) {
			PostgresDocumentStores stores = new PostgresDocumentStores(dataSource, ejson, listener);
			stores.setInitializeSchema(initializeSchema(dataSource, properties));
			stores.setRecentDocuments(properties.getCollections().getRecentDocuments());
			stores.setGroupCommit(properties.getCollections().isGroupCommit());
			stores.setNotifyBeforeFlush(properties.getCollections().isNotifyBeforeFlush());
			return stores;
		}

	}

	// Over the instance's listening connection
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("ddp-jdbc")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "ddpJdbcHealthIndicator")
		DdpJdbcHealthIndicator ddpJdbcHealthIndicator(ObjectProvider<NotificationListener> listener) {
			return new DdpJdbcHealthIndicator(listeners(listener));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DdpJdbcListenerMetrics ddpJdbcListenerMetrics(ObjectProvider<NotificationListener> listener) {
			return new DdpJdbcListenerMetrics(listeners(listener));
		}

		@Bean
		@ConditionalOnMissingBean
		DdpJdbcStoreMetrics ddpJdbcStoreMetrics(ObjectProvider<PostgresDocumentStores> stores) {
			return new DdpJdbcStoreMetrics(stores);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty("ddp.jdbc.method-dedup.enabled")
	static class MethodDedupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JdbcDdpMethodDeduplicator ddpMethodDeduplicator(DataSource dataSource, DdpJdbcProperties properties) {
			DdpJdbcProperties.MethodDedup dedup = properties.getMethodDedup();
			JdbcDdpMethodDeduplicator deduplicator = new JdbcDdpMethodDeduplicator(dataSource, dedup.getRetention(),
					dedup.getWait());
			if (initializeSchema(dataSource, properties)) {
				deduplicator.initializeSchema();
			}
			return deduplicator;
		}

	}

}
