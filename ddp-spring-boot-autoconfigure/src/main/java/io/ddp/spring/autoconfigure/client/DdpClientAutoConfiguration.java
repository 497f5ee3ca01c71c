package io.ddp.spring.autoconfigure.client;

import io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration;
import io.ddp.spring.client.DdpCallObserver;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionFactory;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.protocol.Ejson;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for the DDP client: one {@link DdpConnection} bean per
 * {@code ddp.client.connections.<name>}, selected with
 * {@link io.ddp.spring.client.DdpClient @DdpClient("name")}, connected when the
 * application starts (or on first use when {@code lazy}) and closed on shutdown.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpEjsonAutoConfiguration.class)
@EnableConfigurationProperties(DdpClientProperties.class)
@Import(DdpConnectionsRegistrar.class)
public final class DdpClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DdpConnectionFactory ddpConnectionFactory(Ejson ejson, ObjectProvider<DdpCallObserver> callObservers) {
		return (name, options) -> {
			DefaultDdpConnection connection = new DefaultDdpConnection(name, options, ejson);
			// Resolved per connection: the observer may come from a later
			// auto-configuration
			connection.setCallObserver(callObservers.getIfUnique());
			return connection;
		};
	}

}
