package io.ddp.spring.autoconfigure;

import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.metrics.DdpClientMetrics;
import io.ddp.spring.metrics.DdpRateLimiterMetrics;
import io.ddp.spring.metrics.DdpServerMetrics;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the DDP meters: {@link DdpServerMetrics} when the application
 * serves DDP, and {@link DdpClientMetrics} for its client connections.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpServerAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"io.ddp.spring.autoconfigure.client.DdpClientAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class DdpMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DdpServer.class)
	static class ServerMetricsConfiguration {

		// The server reports to these meters, so it is looked up only when a gauge is
		// read.
		@Bean
		@ConditionalOnMissingBean
		DdpServerMetrics ddpServerMetrics(ObjectProvider<DdpServer> server) {
			return new DdpServerMetrics(server::getObject);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(DdpRateLimiter.class)
		DdpRateLimiterMetrics ddpRateLimiterMetrics(DdpRateLimiter rateLimiter) {
			return new DdpRateLimiterMetrics(rateLimiter);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(DdpConnection.class)
	static class ClientMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DdpClientMetrics ddpClientMetrics(ObjectProvider<DdpConnection> connections) {
			return new DdpClientMetrics(() -> connections.orderedStream().toList());
		}

	}

}
