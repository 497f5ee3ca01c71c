package io.ddp.spring.autoconfigure.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionFactory;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.test.client.RecordingDdpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link DdpClientAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DdpClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DdpEjsonAutoConfiguration.class, DdpClientAutoConfiguration.class));

	private final ApplicationContextRunner recordingRunner = this.contextRunner.withBean(DdpConnectionFactory.class,
			() -> RecordingDdpConnection::new);

	@Test
	void withoutConnectionsThereIsAFactoryAndNoConnection() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DdpConnectionFactory.class);
			assertThat(context).hasSingleBean(DdpClientProperties.class);
			assertThat(context).doesNotHaveBean(DdpConnection.class);
			assertThat(context).doesNotHaveBean(DdpConnectionsRegistrar.LIFECYCLE_BEAN_NAME);
		});
	}

	@Test
	void defaultFactoryCreatesDefaultConnections() {
		this.contextRunner.run((context) -> {
			DdpClientOptions options = DdpClientOptions.builder(URI.create("ws://127.0.0.1:1/websocket")).build();
			assertThat(context.getBean(DdpConnectionFactory.class).create("x", options))
				.isInstanceOf(DefaultDdpConnection.class);
		});
	}

	@Test
	void factoryBacksOffForTheApplicationsOwn() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.remote.url=ws://127.0.0.1:3000/websocket")
			.run((context) -> {
				assertThat(context).hasSingleBean(DdpConnectionFactory.class);
				assertThat(context.getBean(DdpConnection.class)).isInstanceOf(RecordingDdpConnection.class);
			});
	}

	@Test
	void eachConnectionIsABeanCreatedThroughTheFactoryWithMergedOptions() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.orders.url=ws://orders.example/websocket",
					"ddp.client.connections.stock.url=http://stock.example/sockjs",
					"ddp.client.connections.stock.transport=sockjs", "ddp.client.connections.stock.call-timeout=2s",
					"ddp.client.defaults.call-timeout=20s")
			.run((context) -> {
				assertThat(context.getBeansOfType(DdpConnection.class)).containsOnlyKeys("ddpConnection.orders",
						"ddpConnection.stock");
				RecordingDdpConnection orders = context.getBean("ddpConnection.orders", RecordingDdpConnection.class);
				RecordingDdpConnection stock = context.getBean("ddpConnection.stock", RecordingDdpConnection.class);
				assertThat(orders.name()).isEqualTo("orders");
				assertThat(orders.options().url()).isEqualTo(URI.create("ws://orders.example/websocket"));
				assertThat(orders.options().callTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(stock.options().transport()).isEqualTo(DdpClientOptions.Transport.SOCKJS);
				assertThat(stock.options().callTimeout()).isEqualTo(Duration.ofSeconds(2));
				BeanDefinition definition = context.getBeanFactory().getBeanDefinition("ddpConnection.stock");
				assertThat(definition.getDescription())
					.isEqualTo("DDP connection 'stock' to http://stock.example/sockjs");
			});
	}

	@Test
	void ddpClientSelectsConnectionsAtEveryKindOfInjectionPoint() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.orders.url=ws://orders.example/websocket",
					"ddp.client.connections.stock.url=ws://stock.example/websocket")
			.withUserConfiguration(InjectionPointsConfiguration.class)
			.run((context) -> {
				InjectionPoints points = context.getBean(InjectionPoints.class);
				DdpConnection orders = context.getBean("ddpConnection.orders", DdpConnection.class);
				DdpConnection stock = context.getBean("ddpConnection.stock", DdpConnection.class);
				assertThat(points.field).isSameAs(orders);
				assertThat(points.constructorParameter).isSameAs(stock);
				assertThat(points.setterParameter).isSameAs(orders);
				assertThat(points.setterMethod).isSameAs(stock);
				assertThat(context.getBean("beanMethodParameter", String.class)).isEqualTo("stock");
			});
	}

	@Test
	void aSingleConnectionIsInjectableWithoutQualifier() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.only.url=ws://only.example/websocket")
			.withUserConfiguration(UnqualifiedConfiguration.class)
			.run((context) -> assertThat(context.getBean("unqualified", String.class)).isEqualTo("only"));
	}

	@Test
	void connectionNamesKeepTheirCase() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.myRemote.url=ws://remote.example/websocket")
			.withUserConfiguration(CamelCaseConfiguration.class)
			.run((context) -> {
				assertThat(context).hasBean("ddpConnection.myRemote");
				assertThat(context.getBean("camelCase", String.class)).isEqualTo("myRemote");
			});
	}

	@Test
	void anApplicationBeanQualifiedWithDdpClientIsInjectedLikeAConfiguredOne() {
		this.recordingRunner.withUserConfiguration(OwnConnectionConfiguration.class).run((context) -> {
			assertThat(context.getBean("ownName", String.class)).isEqualTo("own");
			assertThat(context).doesNotHaveBean(DdpConnectionsRegistrar.LIFECYCLE_BEAN_NAME);
		});
	}

	@Test
	void connectionsConnectWhenTheContextStartsAndCloseWithIt() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.eager.url=ws://eager.example/websocket",
				"ddp.client.connections.late.url=ws://late.example/websocket", "ddp.client.connections.late.lazy=true")
			.run((context) -> {
				RecordingDdpConnection eager = context.getBean("ddpConnection.eager", RecordingDdpConnection.class);
				assertThat(eager.lifecycle()).containsExactly("connect");
				DdpConnection late = context.getBean("ddpConnection.late", DdpConnection.class);
				assertThat(late).isInstanceOf(LazyConnectingDdpConnection.class);
				RecordingDdpConnection lateDelegate = (RecordingDdpConnection) ((LazyConnectingDdpConnection) late)
					.getDelegate();
				assertThat(lateDelegate.lifecycle()).isEmpty();
				context.close();
				assertThat(eager.lifecycle()).containsExactly("connect", "disconnect", "close");
				// Never used: nothing to disconnect, but still closed.
				assertThat(lateDelegate.lifecycle()).containsExactly("close");
			});
	}

	@Test
	void lazyConnectionsConnectOnFirstUseOnce() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.late.url=ws://late.example/websocket",
					"ddp.client.defaults.lazy=true")
			.run((context) -> {
				LazyConnectingDdpConnection late = context.getBean(LazyConnectingDdpConnection.class);
				RecordingDdpConnection delegate = (RecordingDdpConnection) late.getDelegate();
				late.status();
				late.addListener(new io.ddp.spring.client.DdpClientListener() {
				});
				assertThat(delegate.connects()).isZero();
				delegate.respondWith((invocation) -> invocation.args());
				assertThat(late.call("echo", "a")).isEqualTo(List.of("a"));
				late.subscribe("items", 3);
				late.callAsync("echo", "b");
				assertThat(delegate.connects()).isOne();
				assertThat(late.isStarted()).isTrue();
				context.close();
				assertThat(delegate.lifecycle()).containsExactly("connect", "disconnect", "close");
			});
	}

	@Test
	void aLazyConnectionResolvesItsUrlPlaceholdersAtFirstUse() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.late.url=ws://localhost:${test.late.port}/websocket",
					"ddp.client.connections.late.lazy=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DdpConnection late = context.getBean("ddpConnection.late", DdpConnection.class);
				// Known only now, as local.server.port is once the server started.
				TestPropertyValues.of("test.late.port=4321").applyTo(context.getSourceApplicationContext());
				late.callAsync("echo");
				RecordingDdpConnection delegate = (RecordingDdpConnection) ((LazyConnectingDdpConnection) late)
					.getDelegate();
				assertThat(delegate.options().url()).isEqualTo(URI.create("ws://localhost:4321/websocket"));
			});
	}

	@Test
	void aConnectionThatConnectsAtStartupCannotWaitForAPlaceholder() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.eager.url=ws://localhost:${local.server.port}/websocket")
			.run((context) -> assertThat(context.getStartupFailure())
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("ddp.client.connections.eager.url")
				.hasMessageContaining("only in a lazy connection"));
	}

	@Test
	void stoppingAndRestartingTheContextDisconnectsAndReconnects() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket")
			.run((context) -> {
				RecordingDdpConnection remote = context.getBean(RecordingDdpConnection.class);
				context.stop();
				context.start();
				assertThat(remote.lifecycle()).containsExactly("connect", "disconnect", "reconnect");
			});
	}

	@Test
	void aBeanOfTheSameNameFromTheApplicationIsKept() {
		RecordingDdpConnection own = new RecordingDdpConnection("own");
		this.recordingRunner.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket")
			.withBean("ddpConnection.remote", DdpConnection.class, () -> own)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(DdpConnection.class)).isSameAs(own);
			});
	}

	@Test
	void aConnectionWithoutUrlFailsStartupNamingTheProperty() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.remote.call-timeout=5s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).isEqualTo("DDP connection 'remote' is configured without a URL: "
					+ "'ddp.client.connections.remote.url' is not set.");
			assertThat(analysis.getAction()).startsWith("Set 'ddp.client.connections.remote.url' to the server's URL");
		});
	}

	@Test
	void anInvalidValueFailsStartupNamingTheProperty() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket",
					"ddp.client.connections.remote.retry.jitter=3")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("ddp.client.connections.remote.retry.jitter");
			});
	}

	@Test
	void aValueThatDoesNotBindFailsStartupWithBootsBindError() {
		this.recordingRunner
			.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket",
					"ddp.client.connections.remote.call-timeout=soon")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).isInstanceOf(BindException.class)
					.hasMessageContaining("ddp.client");
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("soon");
			});
	}

	@Test
	void anUnknownConnectionAtAnInjectionPointFailsStartupNamingTheMissingUrl() {
		this.recordingRunner.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket")
			.withUserConfiguration(UnknownConnectionConfiguration.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				MockEnvironment environment = new MockEnvironment().withProperty("ddp.client.connections.remote.url",
						"ws://remote.example/websocket");
				FailureAnalysis analysis = new DdpClientFailureAnalyzer(environment)
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).isEqualTo("Field 'connection' in "
						+ UnknownConnectionConsumer.class.getName() + " required the DDP connection 'unknown', but "
						+ "'ddp.client.connections.unknown.url' is not configured.");
				assertThat(analysis.getAction()).contains("      unknown:")
					.contains("url: ws://127.0.0.1:3000/websocket")
					.endsWith("or use one of the configured connections: remote.");
			});
	}

	@Test
	void unknownConnectionsOfConstructorsAndSettersAreDescribed() {
		this.recordingRunner.withUserConfiguration(UnknownConstructorConsumer.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("Parameter 0 of constructor in "
					+ UnknownConstructorConsumer.class.getName() + " required the DDP connection 'missing'");
			assertThat(analysis.getAction())
				.endsWith("No DDP connection is configured under 'ddp.client.connections'.");
		});
		this.recordingRunner.withUserConfiguration(UnknownSetterConsumer.class).run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith("Parameter 0 of method 'setConnection' in "
					+ UnknownSetterConsumer.class.getName() + " required the DDP connection 'gone'");
		});
	}

	@Test
	void otherFailuresAreLeftToOtherAnalyzers() {
		this.recordingRunner.withUserConfiguration(UnrelatedFailureConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(new DdpClientFailureAnalyzer(null).analyze(context.getStartupFailure())).isNull();
		});
	}

	@Test
	void theAnalyzerIsRegisteredAndReportsAtStartup(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(UnknownConnectionApplication.class)
			.web(WebApplicationType.NONE)
			.properties("ddp.client.connections.remote.url=ws://127.0.0.1:9/websocket",
					"ddp.client.connections.remote.lazy=true", "spring.main.banner-mode=off");
		assertThatException().isThrownBy(application::run);
		assertThat(output)
			.contains("required the DDP connection 'unknown', but "
					+ "'ddp.client.connections.unknown.url' is not configured.")
			.contains("or use one of the configured connections: remote.")
			.doesNotContain("required a bean of type");
	}

	private static FailureAnalysis analyze(Throwable failure) {
		FailureAnalysis analysis = new DdpClientFailureAnalyzer(null).analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

	static class InjectionPoints {

		@Autowired
		@DdpClient("orders")
		DdpConnection field;

		final DdpConnection constructorParameter;

		DdpConnection setterParameter;

		DdpConnection setterMethod;

		InjectionPoints(@DdpClient("stock") DdpConnection constructorParameter) {
			this.constructorParameter = constructorParameter;
		}

		@Autowired
		void setOrders(@DdpClient("orders") DdpConnection connection) {
			this.setterParameter = connection;
		}

		@Autowired
		@DdpClient("stock")
		void setStock(DdpConnection connection) {
			this.setterMethod = connection;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InjectionPointsConfiguration {

		@Bean
		InjectionPoints injectionPoints(@DdpClient("stock") DdpConnection stock) {
			return new InjectionPoints(stock);
		}

		@Bean
		String beanMethodParameter(@DdpClient("stock") DdpConnection stock) {
			return stock.name();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnqualifiedConfiguration {

		@Bean
		String unqualified(DdpConnection connection) {
			return connection.name();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CamelCaseConfiguration {

		@Bean
		String camelCase(@DdpClient("myRemote") DdpConnection connection) {
			return connection.name();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnConnectionConfiguration {

		@Bean
		@DdpClient("own")
		DdpConnection ownConnection() {
			return new RecordingDdpConnection("own");
		}

		@Bean
		String ownName(@DdpClient("own") DdpConnection connection) {
			return connection.name();
		}

	}

	static class UnknownConnectionConsumer {

		@Autowired
		@DdpClient("unknown")
		DdpConnection connection;

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownConnectionConfiguration {

		@Bean
		UnknownConnectionConsumer unknownConnectionConsumer() {
			return new UnknownConnectionConsumer();
		}

	}

	@Component
	static class UnknownConstructorConsumer {

		UnknownConstructorConsumer(@DdpClient("missing") DdpConnection connection) {
		}

	}

	@Component
	static class UnknownSetterConsumer {

		@Autowired
		@DdpClient("gone")
		void setConnection(DdpConnection connection) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnrelatedFailureConfiguration {

		@Bean
		String unrelated(Runnable missing) {
			return "never";
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class UnknownConnectionApplication {

		@Bean
		DdpConnectionFactory recordingFactory() {
			return RecordingDdpConnection::new;
		}

		@Bean
		UnknownConnectionConsumer unknownConnectionConsumer() {
			return new UnknownConnectionConsumer();
		}

	}

}
