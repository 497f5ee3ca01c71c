package io.ddp.spring.autoconfigure;

import io.ddp.spring.actuate.DdpEndpoint;
import io.ddp.spring.actuate.DdpEndpointWebExtension;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.session.DdpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the {@code ddp} actuator endpoint ({@link DdpEndpoint}); expose
 * it with {@code management.endpoints.web.exposure.include=ddp}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpServerAutoConfiguration.class,
		afterName = "io.ddp.spring.autoconfigure.client.DdpClientAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(DdpEndpoint.class)
public final class DdpEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DdpEndpoint ddpEndpoint(ObjectProvider<DdpServer> server, ObjectProvider<DdpMethodRegistry> methods,
			ObjectProvider<DdpPublicationRegistry> publications, ObjectProvider<DdpConnection> connections) {
		return new DdpEndpoint(server.getIfAvailable(), methods.getIfAvailable(), publications.getIfAvailable(),
				connections.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DdpEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	DdpEndpointWebExtension ddpEndpointWebExtension(DdpEndpoint endpoint) {
		return new DdpEndpointWebExtension(endpoint);
	}

}
