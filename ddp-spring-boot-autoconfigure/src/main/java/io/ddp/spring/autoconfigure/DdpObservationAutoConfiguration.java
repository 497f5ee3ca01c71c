package io.ddp.spring.autoconfigure;

import io.ddp.spring.observation.DdpClientCallObservationConvention;
import io.ddp.spring.observation.DdpClientCallObservations;
import io.ddp.spring.observation.DdpMethodCallObservationConvention;
import io.ddp.spring.observation.DdpSubscriptionObservationConvention;
import io.ddp.spring.observation.ObservationDdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the observations of the DDP server: {@code ddp.server.methods}
 * and {@code ddp.server.subscriptions}, with conventions replaceable by a
 * {@link DdpMethodCallObservationConvention} or
 * {@link DdpSubscriptionObservationConvention} bean; and
 * {@link DdpClientCallObservations} for the client connections' {@code ddp.client.calls}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = DdpServerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class DdpObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(DdpServer.class)
	ObservationDdpServerObserver ddpServerObservations(ObservationRegistry registry,
			ObjectProvider<DdpMethodCallObservationConvention> methodConvention,
			ObjectProvider<DdpSubscriptionObservationConvention> subscriptionConvention) {
		return new ObservationDdpServerObserver(registry, methodConvention.getIfUnique(),
				subscriptionConvention.getIfUnique());
	}

	// For the client connections to wrap their calls with (ddp.client.calls).
	@Bean
	@ConditionalOnMissingBean
	DdpClientCallObservations ddpClientCallObservations(ObservationRegistry registry,
			ObjectProvider<DdpClientCallObservationConvention> convention) {
		return new DdpClientCallObservations(registry, convention.getIfUnique());
	}

}
