package io.ddp.spring.autoconfigure;

import java.util.List;

import io.ddp.spring.actuate.DdpEndpoint;
import io.ddp.spring.actuate.DdpEndpointWebExtension;
import io.ddp.spring.test.client.ScriptedDdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpEndpointAutoConfiguration}.
 */
class DdpEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class, DdpEndpointAutoConfiguration.class));

	@Test
	void endpointNeedsExposure() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DdpEndpoint.class)
			.doesNotHaveBean(DdpEndpointWebExtension.class));
	}

	@Test
	void webExposureGivesTheEndpointAndItsWebExtension() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddp").run((context) -> {
			assertThat(context).hasSingleBean(DdpEndpoint.class);
			assertThat(context).hasSingleBean(DdpEndpointWebExtension.class);
		});
	}

	@Test
	void jmxExposureAloneGivesNoWebExtension() {
		this.contextRunner
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=ddp")
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpEndpoint.class);
				assertThat(context).doesNotHaveBean(DdpEndpointWebExtension.class);
			});
	}

	@Test
	void aClientOnlyApplicationGetsTheEndpoint() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(DdpServerAutoConfiguration.class, DdpEndpointAutoConfiguration.class))
			.withBean(ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("upstream"))
			.withPropertyValues("management.endpoints.web.exposure.include=ddp")
			.run((context) -> assertThat(context).hasSingleBean(DdpEndpoint.class));
	}

	@Test
	void backsOffWithoutTheActuator() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=ddp")
			.run((context) -> assertThat(context).doesNotHaveBean(DdpEndpoint.class));
	}

	@Test
	void endpointBacksOffForTheApplicationsOwn() {
		DdpEndpoint own = new DdpEndpoint(null, null, null, List.of());
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddp")
			.withBean(DdpEndpoint.class, () -> own)
			.run((context) -> {
				assertThat(context).getBean(DdpEndpoint.class).isSameAs(own);
				assertThat(context).hasSingleBean(DdpEndpointWebExtension.class);
			});
	}

	@Test
	void webExtensionBacksOffForTheApplicationsOwn() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=ddp")
			.withBean("ownExtension", DdpEndpointWebExtension.class,
					() -> new DdpEndpointWebExtension(new DdpEndpoint(null, null, null, List.of())))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpEndpointWebExtension.class);
				assertThat(context.getBeanNamesForType(DdpEndpointWebExtension.class)).containsExactly("ownExtension");
			});
	}

}
