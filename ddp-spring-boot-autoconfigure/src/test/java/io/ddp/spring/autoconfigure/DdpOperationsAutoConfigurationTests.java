package io.ddp.spring.autoconfigure;

import io.ddp.spring.actuate.DdpEndpoint;
import io.ddp.spring.actuate.DdpEndpointWebExtension;
import io.ddp.spring.health.DdpConnectionHealthIndicator;
import io.ddp.spring.health.DdpServerHealthIndicator;
import io.ddp.spring.metrics.DdpClientMetrics;
import io.ddp.spring.metrics.DdpServerMetrics;
import io.ddp.spring.observation.DdpClientCallObservations;
import io.ddp.spring.observation.DdpMethodCallObservationContext;
import io.ddp.spring.observation.DefaultDdpMethodCallObservationConvention;
import io.ddp.spring.observation.ObservationDdpServerObserver;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpServerLifecycle;
import io.ddp.spring.test.client.ScriptedDdpConnection;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpHealthContributorAutoConfiguration},
 * {@link DdpMetricsAutoConfiguration}, {@link DdpObservationAutoConfiguration},
 * {@link DdpEndpointAutoConfiguration} and the graceful shutdown lifecycle.
 */
class DdpOperationsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class,
				DdpHealthContributorAutoConfiguration.class, DdpMetricsAutoConfiguration.class,
				DdpObservationAutoConfiguration.class, DdpEndpointAutoConfiguration.class));

	@Test
	void healthHasTheServerAndOneIndicatorPerConnection() {
		this.contextRunner.withBean("a", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("alpha"))
			.withBean("b", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("beta"))
			.run((context) -> {
				CompositeHealthContributor ddp = (CompositeHealthContributor) context.getBean("ddpHealthContributor",
						HealthContributor.class);
				assertThat(ddp.getContributor("server")).isInstanceOf(DdpServerHealthIndicator.class);
				CompositeHealthContributor clients = (CompositeHealthContributor) ddp.getContributor("clients");
				assertThat(clients.getContributor("alpha")).isInstanceOf(DdpConnectionHealthIndicator.class);
				assertThat(clients.getContributor("beta")).isInstanceOf(DdpConnectionHealthIndicator.class);
			});
	}

	@Test
	void healthCanBeSwitchedOffAsAWholeAndPerPart() {
		this.contextRunner.withPropertyValues("management.health.ddp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ddpHealthContributor"));
		this.contextRunner.withBean("a", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("alpha"))
			.withBean("b", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("beta"))
			.withPropertyValues("management.health.ddp.server.enabled=false",
					"management.health.ddp.connections.beta.enabled=false")
			.run((context) -> {
				CompositeHealthContributor ddp = (CompositeHealthContributor) context.getBean("ddpHealthContributor",
						HealthContributor.class);
				assertThat(ddp.getContributor("server")).isNull();
				CompositeHealthContributor clients = (CompositeHealthContributor) ddp.getContributor("clients");
				assertThat(clients.getContributor("alpha")).isNotNull();
				assertThat(clients.getContributor("beta")).isNull();
			});
	}

	@Test
	void aClientOnlyApplicationGetsClientHealth() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DdpServerAutoConfiguration.class,
					DdpHealthContributorAutoConfiguration.class))
			.withBean(ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("upstream"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DdpServer.class);
				CompositeHealthContributor ddp = (CompositeHealthContributor) context.getBean("ddpHealthContributor",
						HealthContributor.class);
				assertThat(ddp.getContributor("server")).isNull();
				assertThat(((CompositeHealthContributor) ddp.getContributor("clients")).getContributor("upstream"))
					.isNotNull();
			});
	}

	@Test
	void metersAreBoundWhenThereIsAMeterRegistryAndTheServerReportsToThem() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(DdpServerMetrics.class);
			assertThat(context).hasSingleBean(DdpClientMetrics.class);
			DdpServerObserver observer = context.getBean(DdpServer.class).observer();
			assertThat(observer).isSameAs(context.getBean(DdpServerMetrics.class));
		});
	}

	@Test
	void metersBackOffWithoutMicrometerOrARegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(DdpServerMetrics.class);
			assertThat(context.getBean(DdpServer.class).observer()).isSameAs(DdpServerObserver.NONE);
		});
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, ObservationRegistry.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DdpServerMetrics.class);
				assertThat(context).doesNotHaveBean(ObservationDdpServerObserver.class);
			});
	}

	@Test
	void observationsUseACustomConventionBean() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		this.contextRunner.withBean(ObservationRegistry.class, () -> registry)
			.withBean(DefaultDdpMethodCallObservationConvention.class,
					() -> new DefaultDdpMethodCallObservationConvention() {

						@Override
						public KeyValues getLowCardinalityKeyValues(DdpMethodCallObservationContext context) {
							return super.getLowCardinalityKeyValues(context).and("team", "payments");
						}

					})
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationDdpServerObserver.class);
				assertThat(context).hasSingleBean(DdpClientCallObservations.class);
				DdpServerObserver.Operation operation = context.getBean(DdpServer.class)
					.observer()
					.methodCall(null, "pay", true);
				operation.succeeded();
				TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("ddp.server.methods")
					.that()
					.hasLowCardinalityKeyValue("team", "payments")
					.hasLowCardinalityKeyValue("ddp.method", "pay")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS");
			});
	}

	@Test
	void endpointNeedsExposure() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DdpEndpoint.class));
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddp").run((context) -> {
			assertThat(context).hasSingleBean(DdpEndpoint.class);
			assertThat(context).hasSingleBean(DdpEndpointWebExtension.class);
		});
	}

	@Test
	void gracefulShutdownIsOnByDefaultAndCanBeSwitchedOff() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DdpServerLifecycle.class));
		this.contextRunner.withPropertyValues("ddp.server.shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServerLifecycle.class));
	}

}
