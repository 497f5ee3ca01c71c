package io.ddp.spring.autoconfigure.client;

import io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpEndpointAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpHealthContributorAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpMetricsAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpObservationAutoConfiguration;
import io.ddp.spring.autoconfigure.DdpServerAutoConfiguration;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethodCaller;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpServerLifecycle;
import io.ddp.spring.server.websocket.DdpWebSocketHandler;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code ddp-client-spring-boot-starter} gives an application without a servlet
 * container or Spring MVC: every DDP auto-configuration is on the class path, the client
 * works and none of the server's beans appear.
 */
class DdpClientOnlyApplicationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, DdpEjsonAutoConfiguration.class,
				DdpServerAutoConfiguration.class, DdpObservationAutoConfiguration.class,
				DdpMetricsAutoConfiguration.class, DdpHealthContributorAutoConfiguration.class,
				DdpEndpointAutoConfiguration.class, DdpClientAutoConfiguration.class))
		.withClassLoader(new FilteredClassLoader("jakarta.servlet", "org.springframework.web.servlet",
				"org.apache.catalina", "org.eclipse.jetty"))
		// lazy: nothing connects in this test
		.withPropertyValues("ddp.client.connections.x.url=ws://127.0.0.1:9/websocket",
				"ddp.client.connections.x.lazy=true");

	@Test
	void theConnectionIsInjectedWithoutConnecting() {
		this.contextRunner.withUserConfiguration(ConsumerConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(DdpConnection.class);
			DdpConnection connection = context.getBean(Consumer.class).connection();
			assertThat(connection).isSameAs(context.getBean("ddpConnection.x"));
			assertThat(connection.name()).isEqualTo("x");
			assertThat(connection).isInstanceOf(LazyConnectingDdpConnection.class);
			assertThat(((LazyConnectingDdpConnection) connection).isStarted()).isFalse();
			assertThat(connection.status().state()).isNotEqualTo(ConnectionState.CONNECTED);
		});
	}

	@Test
	void ejsonFollowsTheApplicationsJacksonSettings() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			assertThat(context).hasSingleBean(JsonMapper.class);
			assertThat(context.getBean(Ejson.class).stringify(new Named("x"))).isEqualTo("{\"first_name\":\"x\"}");
		});
	}

	@Test
	void noneOfTheServersBeansAreCreated() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(DdpServer.class);
			assertThat(context).doesNotHaveBean(DdpWebSocketHandler.class);
			assertThat(context).doesNotHaveBean(DdpMethodRegistry.class);
			assertThat(context).doesNotHaveBean(DdpPublicationRegistry.class);
			assertThat(context).doesNotHaveBean(MethodDispatcher.class);
			assertThat(context).doesNotHaveBean(DdpMethodCaller.class);
			assertThat(context).doesNotHaveBean(DdpServerLifecycle.class);
			assertThat(context).doesNotHaveBean("ddpSockJsInfoHandlerMapping");
		});
	}

	record Consumer(DdpConnection connection) {
	}

	record Named(String firstName) {
	}

	@Configuration(proxyBeanMethods = false)
	static class ConsumerConfiguration {

		@Bean
		Consumer consumer(@DdpClient("x") DdpConnection connection) {
			return new Consumer(connection);
		}

	}

}
