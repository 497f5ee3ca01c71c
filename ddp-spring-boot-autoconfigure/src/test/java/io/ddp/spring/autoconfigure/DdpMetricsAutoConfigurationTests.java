package io.ddp.spring.autoconfigure;

import java.util.List;

import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.metrics.DdpClientMetrics;
import io.ddp.spring.metrics.DdpServerMetrics;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.client.ScriptedDdpConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpMetricsAutoConfiguration}.
 */
class DdpMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class, DdpMetricsAutoConfiguration.class));

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
	void clientMetersCoverEveryConnection() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withBean(ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("upstream"))
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(DdpClientMetrics.class).bindTo(registry);
				assertThat(registry.get("ddp.client.reconnects").tag("ddp.client.name", "upstream").counter())
					.isNotNull();
			});
	}

	@Test
	void aClientOnlyApplicationGetsOnlyClientMeters() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DdpServerAutoConfiguration.class, DdpMetricsAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(DdpServerMetrics.class);
				assertThat(context).hasSingleBean(DdpClientMetrics.class);
			});
	}

	@Test
	void backsOffWithoutAMeterRegistry() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(DdpServerMetrics.class);
			assertThat(context).doesNotHaveBean(DdpClientMetrics.class);
			assertThat(context.getBean(DdpServer.class).observer()).isSameAs(DdpServerObserver.NONE);
		});
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(DdpServerMetrics.class);
			assertThat(context).doesNotHaveBean(DdpClientMetrics.class);
		});
	}

	@Test
	void clientMetersNeedTheDdpClient() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withClassLoader(new FilteredClassLoader(DdpConnection.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpServerMetrics.class);
				assertThat(context).doesNotHaveBean(DdpClientMetrics.class);
			});
	}

	@Test
	void serverMetricsBackOffForTheApplicationsOwn() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("ownServerMetrics", DdpServerMetrics.class, () -> new DdpServerMetrics(() -> {
				throw new IllegalStateException("not read in this test");
			}))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpServerMetrics.class);
				assertThat(context.getBeanNamesForType(DdpServerMetrics.class)).containsExactly("ownServerMetrics");
			});
	}

	@Test
	void clientMetricsBackOffForTheApplicationsOwn() {
		this.contextRunner.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("ownClientMetrics", DdpClientMetrics.class, () -> new DdpClientMetrics(List.of()))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpClientMetrics.class);
				assertThat(context.getBeanNamesForType(DdpClientMetrics.class)).containsExactly("ownClientMetrics");
			});
	}

}
