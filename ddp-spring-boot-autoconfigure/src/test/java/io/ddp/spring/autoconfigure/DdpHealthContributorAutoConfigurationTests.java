package io.ddp.spring.autoconfigure;

import io.ddp.spring.health.DdpConnectionHealthIndicator;
import io.ddp.spring.health.DdpServerHealthIndicator;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.client.ScriptedDdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpHealthContributorAutoConfiguration}.
 */
class DdpHealthContributorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class,
				DdpHealthContributorAutoConfiguration.class));

	@Test
	void healthHasTheServerAndOneIndicatorPerConnection() {
		this.contextRunner.withBean("a", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("alpha"))
			.withBean("b", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("beta"))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpHealthProperties.class);
				CompositeHealthContributor ddp = ddpContributor(context.getBean("ddpHealthContributor"));
				assertThat(ddp.getContributor("server")).isInstanceOf(DdpServerHealthIndicator.class);
				CompositeHealthContributor clients = (CompositeHealthContributor) ddp.getContributor("clients");
				assertThat(clients.getContributor("alpha")).isInstanceOf(DdpConnectionHealthIndicator.class);
				assertThat(clients.getContributor("beta")).isInstanceOf(DdpConnectionHealthIndicator.class);
			});
	}

	@Test
	void withoutConnectionsThereIsNoClientsPart() {
		this.contextRunner.run((context) -> {
			CompositeHealthContributor ddp = ddpContributor(context.getBean("ddpHealthContributor"));
			assertThat(ddp.getContributor("server")).isNotNull();
			assertThat(ddp.getContributor("clients")).isNull();
		});
	}

	@Test
	void healthCanBeSwitchedOffAsAWhole() {
		this.contextRunner.withPropertyValues("management.health.ddp.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ddpHealthContributor")
				.doesNotHaveBean(DdpHealthProperties.class));
	}

	@Test
	void healthCanBeSwitchedOffPerPart() {
		this.contextRunner.withBean("a", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("alpha"))
			.withBean("b", ScriptedDdpConnection.class, () -> new ScriptedDdpConnection("beta"))
			.withPropertyValues("management.health.ddp.server.enabled=false",
					"management.health.ddp.connections.beta.enabled=false")
			.run((context) -> {
				CompositeHealthContributor ddp = ddpContributor(context.getBean("ddpHealthContributor"));
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
				CompositeHealthContributor ddp = ddpContributor(context.getBean("ddpHealthContributor"));
				assertThat(ddp.getContributor("server")).isNull();
				assertThat(((CompositeHealthContributor) ddp.getContributor("clients")).getContributor("upstream"))
					.isNotNull();
			});
	}

	@Test
	void backsOffWithoutBootHealth() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).hasSingleBean(DdpServer.class)
				.doesNotHaveBean("ddpHealthContributor"));
	}

	@Test
	void backsOffForTheApplicationsDdpHealthIndicator() {
		HealthIndicator own = () -> Health.up().build();
		this.contextRunner.withBean("ddpHealthIndicator", HealthIndicator.class, () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean("ddpHealthContributor");
			assertThat(context).getBean("ddpHealthIndicator").isSameAs(own);
		});
	}

	@Test
	void backsOffForTheApplicationsDdpHealthContributor() {
		HealthIndicator own = () -> Health.up().build();
		this.contextRunner.withBean("ddpHealthContributor", HealthContributor.class, () -> own)
			.run((context) -> assertThat(context).getBean("ddpHealthContributor").isSameAs(own));
	}

	private static CompositeHealthContributor ddpContributor(Object bean) {
		assertThat(bean).isInstanceOf(CompositeHealthContributor.class);
		return (CompositeHealthContributor) bean;
	}

}
