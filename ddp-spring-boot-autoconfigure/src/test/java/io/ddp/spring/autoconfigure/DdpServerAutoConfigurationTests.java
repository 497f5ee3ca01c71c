package io.ddp.spring.autoconfigure;

import java.time.Duration;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodCaller;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.session.DdpServer;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpServerAutoConfiguration} and {@link DdpEjsonAutoConfiguration}.
 */
class DdpServerAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class));

	@Test
	void servletWebApplicationGetsTheServer() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdpServer.class);
			assertThat(context).hasSingleBean(DdpMethodRegistry.class);
			assertThat(context).hasSingleBean(MethodDispatcher.class);
			assertThat(context).hasSingleBean(DdpMethodCaller.class);
			assertThat(context).hasSingleBean(Ejson.class);
			assertThat(context).doesNotHaveBean(TomcatContextCustomizer.class);
		});
	}

	@Test
	void connectionBufferSizeTunesEveryTomcatBuffer() {
		this.contextRunner.withPropertyValues("ddp.server.websocket.connection-buffer-size=1KB").run((context) -> {
			org.apache.catalina.core.StandardContext tomcatContext = new org.apache.catalina.core.StandardContext();
			context.getBean(TomcatContextCustomizer.class).customize(tomcatContext);
			assertThat(tomcatContext.findParameter("org.apache.tomcat.websocket.textBufferSize")).isEqualTo("1024");
			assertThat(tomcatContext.findParameter("org.apache.tomcat.websocket.binaryBufferSize")).isEqualTo("1024");
			org.apache.catalina.connector.Connector connector = new org.apache.catalina.connector.Connector();
			context.getBean(org.springframework.boot.tomcat.TomcatConnectorCustomizer.class).customize(connector);
			assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("1024");
			assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("1024");
		});
	}

	@Test
	void annotatedMethodsAreRegisteredAndCallable() {
		this.contextRunner.withUserConfiguration(MethodsConfiguration.class).run((context) -> {
			assertThat(context.getBean(DdpMethodRegistry.class).names()).containsExactly("greet", "shop/total");
			assertThat(context.getBean(DdpMethodCaller.class).call("greet", String.class, "Ada"))
				.isEqualTo("Hello Ada");
			assertThat(context.getBean(DdpMethodCaller.class).call("shop/total", Integer.class, 2, 3)).isEqualTo(5);
		});
	}

	@Test
	void methodsOfProxiedBeansAreRegistered() {
		this.contextRunner.withUserConfiguration(MethodsConfiguration.class, ProxyingConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(Greeter.class).getClass().getName()).contains("$$SpringCGLIB$$");
				assertThat(context.getBean(DdpMethodCaller.class).call("greet", String.class, "Bo"))
					.isEqualTo("Hello Bo");
			});
	}

	@Test
	void duplicateMethodNameFailsStartupNamingBothBeans() {
		this.contextRunner.withUserConfiguration(MethodsConfiguration.class, DuplicateConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageMatching("Duplicate DDP method '(greet|shop/total)'.*")
					.hasMessageContaining("bean 'greeter'")
					.hasMessageContaining("bean 'otherGreeter'");
			});
	}

	@Test
	void propertiesConfigureTheServer() {
		this.contextRunner
			.withPropertyValues("ddp.server.heartbeat.interval=5s", "ddp.server.heartbeat.timeout=7s",
					"ddp.server.connect-timeout=3s", "ddp.server.forwarded-count=2", "ddp.server.max-message-size=1MB")
			.run((context) -> {
				DdpServer server = context.getBean(DdpServer.class);
				assertThat(server.options().heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
				assertThat(server.options().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(server.options().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(server.options().forwardedCount()).isEqualTo(2);
				assertThat(server.options().maxMessageSize()).isEqualTo(1024 * 1024);
			});
	}

	@Test
	void userDefinedRegistryIsUsed() {
		DdpMethodRegistry registry = new DdpMethodRegistry();
		registry.register("manual", (invocation, arguments) -> "by hand");
		this.contextRunner.withBean(DdpMethodRegistry.class, () -> registry).run((context) -> {
			assertThat(context.getBean(DdpMethodRegistry.class)).isSameAs(registry);
			assertThat(context.getBean(DdpMethodCaller.class).call("manual")).isEqualTo("by hand");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("ddp.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class).hasSingleBean(Ejson.class));
	}

	@Test
	void backsOffWithoutSpringWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class));
	}

	@Test
	void backsOffOutsideAWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class).hasSingleBean(Ejson.class));
	}

	@Test
	void ejsonExtendsTheApplicationsJsonMapper() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			Ejson ejson = context.getBean(Ejson.class);
			assertThat(ejson.stringify(new Named("x"))).isEqualTo("{\"first_name\":\"x\"}");
		});
	}

	record Named(String firstName) {
	}

	static class Greeter {

		@DdpMethod
		public String greet(String name) {
			return "Hello " + name;
		}

		@DdpMethod("shop/total")
		public int total(int a, int b) {
			return a + b;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MethodsConfiguration {

		@Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateConfiguration {

		@Bean
		Greeter otherGreeter() {
			return new Greeter();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyingConfiguration {

		@Bean
		static BeanPostProcessor proxyGreeters() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					if (bean instanceof Greeter) {
						ProxyFactory factory = new ProxyFactory(bean);
						factory.setProxyTargetClass(true);
						return factory.getProxy();
					}
					return bean;
				}
			};
		}

	}

}
