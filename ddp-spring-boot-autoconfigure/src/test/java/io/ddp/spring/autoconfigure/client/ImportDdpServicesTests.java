package io.ddp.spring.autoconfigure.client;

import java.util.List;
import java.util.Map;

import io.ddp.spring.autoconfigure.DdpEjsonAutoConfiguration;
import io.ddp.spring.autoconfigure.client.services.GreetingClient;
import io.ddp.spring.autoconfigure.client.services.GreetingClient.Greeting;
import io.ddp.spring.autoconfigure.client.services.InventoryClient;
import io.ddp.spring.autoconfigure.client.services.PlainClient;
import io.ddp.spring.autoconfigure.client.services.ServicesConfiguration;
import io.ddp.spring.client.DdpConnectionFactory;
import io.ddp.spring.client.NoSuchDdpConnectionException;
import io.ddp.spring.client.service.ImportDdpServices;
import io.ddp.spring.test.client.RecordingDdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImportDdpServices} with the client auto-configuration.
 */
class ImportDdpServicesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DdpEjsonAutoConfiguration.class, DdpClientAutoConfiguration.class))
		.withBean(DdpConnectionFactory.class, () -> RecordingDdpConnection::new)
		.withPropertyValues("ddp.client.connections.remote.url=ws://remote.example/websocket",
				"ddp.client.connections.stock.url=ws://stock.example/websocket");

	@Test
	void scanningRegistersEveryDdpServiceInterfaceOfThePackage() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(GreetingClient.class);
			assertThat(context).hasSingleBean(InventoryClient.class);
			assertThat(context).doesNotHaveBean(PlainClient.class);
			assertThat(context).hasBean(GreetingClient.class.getName());
		});
	}

	@Test
	void servicesCallThroughTheirNamedConnection() throws Exception {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class).run((context) -> {
			RecordingDdpConnection remote = context.getBean("ddpConnection.remote", RecordingDdpConnection.class);
			RecordingDdpConnection stock = context.getBean("ddpConnection.stock", RecordingDdpConnection.class);
			remote.respondWith((invocation) -> switch (invocation.name()) {
				case "greetings.hello" -> "Hello " + invocation.args().get(0);
				case "greetings.recent" -> List.of(Map.of("from", "ada", "text", "hi"));
				default -> null;
			});
			stock.respondWith((invocation) -> 12);
			GreetingClient greetings = context.getBean(GreetingClient.class);
			assertThat(greetings.hello("Bo")).isEqualTo("Hello Bo");
			assertThat(greetings.recent(5).get()).containsExactly(new Greeting("ada", "hi"));
			assertThat(greetings.greetings().name()).isEqualTo("greetings");
			assertThat(context.getBean(InventoryClient.class).count("sku-1")).isEqualTo(12L);
			assertThat(remote.invocations()).extracting(RecordingDdpConnection.Invocation::name)
				.containsExactly("greetings.hello", "greetings.recent", "greetings");
			assertThat(stock.invocations()).extracting(RecordingDdpConnection.Invocation::args)
				.containsExactly(List.of("sku-1"));
		});
	}

	@Test
	void connectionNamesResolvePlaceholders() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class)
			.withPropertyValues("inventory.connection=remote")
			.run((context) -> {
				RecordingDdpConnection remote = context.getBean("ddpConnection.remote", RecordingDdpConnection.class);
				remote.respondWith((invocation) -> 3);
				assertThat(context.getBean(InventoryClient.class).count("x")).isEqualTo(3L);
				assertThat(remote.invocations()).hasSize(1);
			});
	}

	@Test
	void listedTypesWithoutDdpServiceUseTheImportsConnection() {
		this.contextRunner.withUserConfiguration(PlainImport.class).run((context) -> {
			assertThat(context).hasSingleBean(PlainClient.class);
			assertThat(context).doesNotHaveBean(GreetingClient.class);
			RecordingDdpConnection stock = context.getBean("ddpConnection.stock", RecordingDdpConnection.class);
			stock.respondWith((invocation) -> "pong");
			assertThat(context.getBean(PlainClient.class).ping()).isEqualTo("pong");
		});
	}

	@Test
	void listedTypesWithoutAnyConnectionFailStartup() {
		this.contextRunner.withUserConfiguration(PlainImportWithoutConnection.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining(PlainClient.class.getName())
				.hasMessageContaining("names no connection");
		});
	}

	@Test
	void aServiceOnAnUnknownConnectionFailsStartupNamingTheMissingUrl() {
		this.contextRunner.withUserConfiguration(ServicesConfiguration.class)
			.withPropertyValues("inventory.connection=warehouse")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(NoSuchDdpConnectionException.class)
					.hasMessage("DDP service " + InventoryClient.class.getName() + " needs the DDP connection "
							+ "'warehouse', but 'ddp.client.connections.warehouse.url' is not configured");
				FailureAnalysis analysis = new DdpClientFailureAnalyzer(null).analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'ddp.client.connections.warehouse.url'");
				assertThat(analysis.getAction()).contains("      warehouse:");
			});
	}

	@Test
	void listingANonInterfaceFailsStartup() {
		this.contextRunner.withUserConfiguration(ClassImport.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasMessageContaining("java.lang.String, which is not an interface");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ImportDdpServices(types = PlainClient.class, connection = "stock")
	static class PlainImport {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportDdpServices(PlainClient.class)
	static class PlainImportWithoutConnection {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportDdpServices(String.class)
	static class ClassImport {

	}

}
