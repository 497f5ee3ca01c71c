package io.ddp.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.autoconfigure.DdpServerAutoConfiguration.DdpConnectionEventPublisher;
import io.ddp.spring.autoconfigure.DdpServerAutoConfiguration.DdpMaxConnectionsCustomizer;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodAnnotationBeanPostProcessor;
import io.ddp.spring.server.method.DdpMethodCaller;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationAnnotationBeanPostProcessor;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import io.ddp.spring.server.publication.PublicationStrategyResolver;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpServerLifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpServerAutoConfiguration}.
 */
class DdpServerAutoConfigurationTests {

	private static final String TOMCAT_FRAME_BUFFER_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class));

	@Test
	void servletWebApplicationGetsTheServer() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdpServer.class);
			assertThat(context).hasSingleBean(DdpMethodRegistry.class);
			assertThat(context).hasSingleBean(DdpMethodAnnotationBeanPostProcessor.class);
			assertThat(context).hasSingleBean(DdpPublicationRegistry.class);
			assertThat(context).hasSingleBean(DdpPublicationAnnotationBeanPostProcessor.class);
			assertThat(context).hasSingleBean(PublicationStrategyResolver.class);
			assertThat(context).hasSingleBean(MethodDispatcher.class);
			assertThat(context).hasSingleBean(DdpMethodCaller.class);
			assertThat(context).hasSingleBean(DdpConnectionEventPublisher.class);
			assertThat(context).hasSingleBean(DdpServerLifecycle.class);
			assertThat(context).hasSingleBean(DdpServerProperties.class);
			assertThat(context.getBean("ddpSockJsInfoHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/sockjs/info");
		});
	}

	@Test
	void leanTomcatBuffersAndARaisedConnectionLimitAreTheDefault() {
		String before = System.getProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
		try {
			this.contextRunner.run((context) -> {
				StandardContext tomcatContext = new StandardContext();
				context.getBean(TomcatContextCustomizer.class).customize(tomcatContext);
				assertThat(tomcatContext.findParameter("org.apache.tomcat.websocket.textBufferSize")).isEqualTo("1024");
				Connector connector = new Connector();
				context.getBean("ddpSocketBufferCustomizer", TomcatConnectorCustomizer.class).customize(connector);
				customizeWithMaxConnections(context, connector);
				assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("1024");
				assertThat(String.valueOf(connector.getProperty("maxConnections"))).isEqualTo("20000");
				// Read by Tomcat's constants class as it initialized, then put back.
				assertThat(System.getProperty(TOMCAT_FRAME_BUFFER_PROPERTY)).isEqualTo(before);
			});
		}
		finally {
			restoreFrameBufferProperty(before);
		}
	}

	@Test
	void tomcatWriteCompletionsRunInlineByDefault() {
		this.contextRunner.run((context) -> assertThat(context).getBean("ddpTomcatWriteCompletionsCustomizer")
			.isInstanceOf(TomcatWriteCompletionsCustomizer.class));
	}

	@Test
	void tomcatWriteCompletionsCanBeLeftToTomcat() {
		this.contextRunner.withPropertyValues("ddp.server.websocket.inline-write-completions=false")
			.run((context) -> assertThat(context).doesNotHaveBean("ddpTomcatWriteCompletionsCustomizer"));
	}

	@Test
	void explicitTomcatConnectionLimitWins() {
		this.contextRunner.withPropertyValues("server.tomcat.max-connections=500").run((context) -> {
			Connector connector = new Connector();
			connector.setProperty("maxConnections", "500");
			customizeWithMaxConnections(context, connector);
			assertThat(String.valueOf(connector.getProperty("maxConnections"))).isEqualTo("500");
		});
	}

	private static void customizeWithMaxConnections(ApplicationContext context, Connector connector) {
		TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
		context.getBean("ddpMaxConnectionsCustomizer", DdpMaxConnectionsCustomizer.class).customize(factory);
		factory.getConnectorCustomizers().forEach((customizer) -> customizer.customize(connector));
	}

	@Test
	void connectionBufferSizeTunesEveryTomcatBuffer() {
		String before = System.getProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
		try {
			this.contextRunner.withPropertyValues("ddp.server.websocket.connection-buffer-size=1KB").run((context) -> {
				StandardContext tomcatContext = new StandardContext();
				context.getBean(TomcatContextCustomizer.class).customize(tomcatContext);
				assertThat(tomcatContext.findParameter("org.apache.tomcat.websocket.textBufferSize")).isEqualTo("1024");
				assertThat(tomcatContext.findParameter("org.apache.tomcat.websocket.binaryBufferSize"))
					.isEqualTo("1024");
				Connector connector = new Connector();
				context.getBean("ddpSocketBufferCustomizer", TomcatConnectorCustomizer.class).customize(connector);
				assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("1024");
				assertThat(String.valueOf(connector.getProperty("socket.appWriteBufSize"))).isEqualTo("1024");
			});
		}
		finally {
			restoreFrameBufferProperty(before);
		}
	}

	@Test
	void connectionBufferCustomizersNeedTomcat() {
		this.contextRunner.withPropertyValues("ddp.server.websocket.connection-buffer-size=1KB")
			.withClassLoader(new FilteredClassLoader(Tomcat.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpServer.class);
				assertThat(context).doesNotHaveBean(TomcatContextCustomizer.class);
				assertThat(context).doesNotHaveBean(TomcatConnectorCustomizer.class);
			});
	}

	@Test
	void connectionBufferCustomizersBackOffForTheApplicationsOwn() {
		TomcatContextCustomizer contextCustomizer = (context) -> {
		};
		TomcatConnectorCustomizer connectorCustomizer = (connector) -> {
		};
		this.contextRunner.withPropertyValues("ddp.server.websocket.connection-buffer-size=1KB")
			.withBean("ddpWebSocketBufferCustomizer", TomcatContextCustomizer.class, () -> contextCustomizer)
			.withBean("ddpSocketBufferCustomizer", TomcatConnectorCustomizer.class, () -> connectorCustomizer)
			.run((context) -> {
				assertThat(context).getBean(TomcatContextCustomizer.class).isSameAs(contextCustomizer);
				assertThat(context.getBean("ddpSocketBufferCustomizer")).isSameAs(connectorCustomizer);
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
	void publicationStrategiesComeFromProperties() {
		this.contextRunner.withPropertyValues("ddp.server.publication-strategies.ticks=NO_MERGE").run((context) -> {
			PublicationStrategyResolver resolver = context.getBean(PublicationStrategyResolver.class);
			assertThat(resolver.strategyFor("ticks")).isEqualTo(PublicationStrategy.NO_MERGE);
			assertThat(resolver.strategyFor("other")).isNull();
		});
	}

	@Test
	void sockJsInfoMappingFollowsThePathAndBacksOffWithSockJs() {
		this.contextRunner.withPropertyValues("ddp.server.sockjs.path=/ddp/")
			.run((context) -> assertThat(
					context.getBean("ddpSockJsInfoHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/ddp/info"));
		this.contextRunner.withPropertyValues("ddp.server.sockjs.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DdpServer.class);
			assertThat(context).doesNotHaveBean("ddpSockJsInfoHandlerMapping");
		});
	}

	@Test
	void gracefulShutdownIsOnByDefaultAndCanBeSwitchedOff() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(DdpServerLifecycle.class));
		this.contextRunner.withPropertyValues("ddp.server.shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServerLifecycle.class));
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
	void methodAnnotationBeanPostProcessorBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpMethodAnnotationBeanPostProcessor.class, DdpMethodAnnotationBeanPostProcessor::new);
	}

	@Test
	void publicationRegistryBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpPublicationRegistry.class, DdpPublicationRegistry::new);
	}

	@Test
	void publicationAnnotationBeanPostProcessorBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpPublicationAnnotationBeanPostProcessor.class, DdpPublicationAnnotationBeanPostProcessor::new);
	}

	@Test
	void publicationStrategyResolverBacksOffForTheApplicationsOwn() {
		PublicationStrategyResolver own = (collection) -> PublicationStrategy.NO_MERGE;
		assertBacksOff(PublicationStrategyResolver.class, () -> own);
	}

	@Test
	void methodDispatcherBacksOffForTheApplicationsOwn() {
		assertBacksOff(MethodDispatcher.class,
				() -> new MethodDispatcher(new DdpMethodRegistry(), Ejson.createDefault(), List.of()));
	}

	@Test
	void methodCallerBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpMethodCaller.class,
				() -> new DdpMethodCaller(new DdpMethodRegistry(), Ejson.createDefault()));
	}

	@Test
	void connectionEventPublisherBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpConnectionEventPublisher.class, () -> new DdpConnectionEventPublisher((event) -> {
		}));
	}

	@Test
	void serverBacksOffForTheApplicationsOwn() {
		assertBacksOff(DdpServer.class,
				() -> new DdpServer(new MethodDispatcher(new DdpMethodRegistry(), Ejson.createDefault(), List.of()),
						new DdpPublicationRegistry(), (collection) -> PublicationStrategy.SERVER_MERGE, Runnable::run,
						DdpServerOptions.defaults(), List.of()));
	}

	@Test
	void lifecycleBacksOffForTheApplicationsOwn() {
		this.contextRunner.withUserConfiguration(OwnLifecycleConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DdpServerLifecycle.class);
			assertThat(context.getBeanNamesForType(DdpServerLifecycle.class)).containsExactly("ownLifecycle");
		});
	}

	@Test
	void sockJsInfoMappingBacksOffForTheApplicationsOwn() {
		SimpleUrlHandlerMapping own = new SimpleUrlHandlerMapping();
		this.contextRunner.withBean("ddpSockJsInfoHandlerMapping", SimpleUrlHandlerMapping.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean("ddpSockJsInfoHandlerMapping")).isSameAs(own);
			});
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("ddp.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class)
				.doesNotHaveBean(DdpMethodRegistry.class)
				.hasSingleBean(Ejson.class));
	}

	@Test
	void backsOffWithoutSpringWebSocket() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class));
	}

	@Test
	void backsOffWithoutTheDdpLibrary() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Ejson.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class));
	}

	@Test
	void backsOffOutsideAWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DdpEjsonAutoConfiguration.class, DdpServerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DdpServer.class).hasSingleBean(Ejson.class));
	}

	private <T> void assertBacksOff(Class<T> type, Supplier<T> own) {
		this.contextRunner.withBean("own", type, own).run((context) -> {
			assertThat(context).hasSingleBean(type);
			assertThat(context.getBeanNamesForType(type)).containsExactly("own");
		});
	}

	private static void restoreFrameBufferProperty(String before) {
		if (before != null) {
			System.setProperty(TOMCAT_FRAME_BUFFER_PROPERTY, before);
		}
		else {
			System.clearProperty(TOMCAT_FRAME_BUFFER_PROPERTY);
		}
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
	static class OwnLifecycleConfiguration {

		@Bean
		DdpServerLifecycle ownLifecycle(DdpServer server) {
			return new DdpServerLifecycle(server, Duration.ZERO, Duration.ZERO);
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
