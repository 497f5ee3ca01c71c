package io.ddp.spring.autoconfigure;

import io.ddp.spring.observation.DdpClientCallObservations;
import io.ddp.spring.observation.DdpMethodCallObservationContext;
import io.ddp.spring.observation.DefaultDdpMethodCallObservationConvention;
import io.ddp.spring.observation.ObservationDdpServerObserver;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpObservationAutoConfiguration}.
 */
class DdpObservationAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class,
				DdpObservationAutoConfiguration.class));

	@Test
	void theServerAndTheClientsAreObservedWhenThereIsAnObservationRegistry() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create).run((context) -> {
			assertThat(context).hasSingleBean(ObservationDdpServerObserver.class);
			assertThat(context).hasSingleBean(DdpClientCallObservations.class);
			assertThat(context.getBean(DdpServer.class).observer())
				.isSameAs(context.getBean(ObservationDdpServerObserver.class));
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
	void aClientOnlyApplicationGetsOnlyClientObservations() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DdpServerAutoConfiguration.class, DdpObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ObservationDdpServerObserver.class);
				assertThat(context).hasSingleBean(DdpClientCallObservations.class);
			});
	}

	@Test
	void backsOffWithoutAnObservationRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(ObservationDdpServerObserver.class);
			assertThat(context).doesNotHaveBean(DdpClientCallObservations.class);
		});
	}

	@Test
	void backsOffWithoutMicrometerObservation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ObservationRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(ObservationDdpServerObserver.class);
			assertThat(context).doesNotHaveBean(DdpClientCallObservations.class);
		});
	}

	@Test
	void serverObserverBacksOffForTheApplicationsOwn() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean("ownObserver", ObservationDdpServerObserver.class,
					() -> new ObservationDdpServerObserver(ObservationRegistry.NOOP))
			.run((context) -> {
				assertThat(context).hasSingleBean(ObservationDdpServerObserver.class);
				assertThat(context.getBeanNamesForType(ObservationDdpServerObserver.class))
					.containsExactly("ownObserver");
			});
	}

	@Test
	void clientCallObservationsBackOffForTheApplicationsOwn() {
		DdpClientCallObservations own = new DdpClientCallObservations(ObservationRegistry.NOOP, null);
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean(DdpClientCallObservations.class, () -> own)
			.run((context) -> assertThat(context).getBean(DdpClientCallObservations.class).isSameAs(own));
	}

}
