package io.ddp.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.health.DdpConnectionHealthIndicator;
import io.ddp.spring.health.DdpServerHealthIndicator;
import io.ddp.spring.server.session.DdpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code ddp} health contributor, a composite of
 * {@code server} ({@link DdpServerHealthIndicator}) and {@code clients}, which holds one
 * {@link DdpConnectionHealthIndicator} per {@link DdpConnection} bean, by connection
 * name. Off with {@code management.health.ddp.enabled=false}; parts off with
 * {@code management.health.ddp.server.enabled=false} and
 * {@code management.health.ddp.connections.<name>.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpServerAutoConfiguration.class,
		afterName = { "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration",
				"io.ddp.spring.autoconfigure.client.DdpClientAutoConfiguration" })
@ConditionalOnClass({ HealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnEnabledHealthIndicator("ddp")
@EnableConfigurationProperties(DdpHealthProperties.class)
public final class DdpHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = { "ddpHealthIndicator", "ddpHealthContributor" })
	HealthContributor ddpHealthContributor(ObjectProvider<DdpServer> server, ObjectProvider<DdpConnection> connections,
			DdpHealthProperties properties) {
		Map<String, HealthContributor> parts = new LinkedHashMap<>();
		DdpServer ddpServer = server.getIfAvailable();
		if (ddpServer != null && properties.getServer().isEnabled()) {
			parts.put("server", new DdpServerHealthIndicator(ddpServer));
		}
		Map<String, HealthContributor> clients = new LinkedHashMap<>();
		connections.orderedStream().forEach((connection) -> {
			String name = connection.name();
			// A test double (@MockitoBean) may have no name: it has no health to report
			if (name != null && properties.isEnabled(name)) {
				clients.put(name, new DdpConnectionHealthIndicator(connection, properties.gracePeriodOf(name)));
			}
		});
		if (!clients.isEmpty()) {
			parts.put("clients", CompositeHealthContributor.fromMap(clients));
		}
		return CompositeHealthContributor.fromMap(parts);
	}

}
