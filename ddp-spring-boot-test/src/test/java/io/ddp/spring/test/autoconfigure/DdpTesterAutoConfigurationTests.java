package io.ddp.spring.test.autoconfigure;

import java.util.List;
import java.util.concurrent.Executor;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.tester.DdpTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * How {@link DdpTesterAutoConfiguration} chooses the tester's transport.
 */
class DdpTesterAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DdpTesterAutoConfiguration.class));

	private final ApplicationContextRunner withServer = this.contextRunner.withBean(DdpServer.class,
			DdpTesterAutoConfigurationTests::server);

	@Test
	void withoutAPortTheTesterRunsInProcess() {
		this.withServer.withPropertyValues("ddp.test.tester.user-id=u1").run((context) -> {
			DdpTester tester = context.getBean(DdpTester.class);
			assertThat(tester).hasToString("DdpTester for in-process DDP server");
			assertThat(tester.call("whoami").result().json().asString()).isEqualTo("u1");
		});
	}

	@Test
	void withAPortTheTesterConnectsToTheEndpointPath() {
		this.withServer
			.withPropertyValues("local.server.port=4321", "server.servlet.context-path=/app",
					"ddp.server.websocket.path=/ddp/")
			.run((context) -> assertThat(context.getBean(DdpTester.class))
				.hasToString("DdpTester for DDP server at ws://localhost:4321/app/ddp"));
	}

	@Test
	void inProcessCanBeChosenAlthoughAServerListens() {
		this.withServer.withPropertyValues("local.server.port=4321", "ddp.test.tester.transport=in-process")
			.run((context) -> assertThat(context.getBean(DdpTester.class))
				.hasToString("DdpTester for in-process DDP server"));
	}

	@Test
	void aWebSocketWithoutARunningServerFailsSayingWhatToDo() {
		this.withServer.withPropertyValues("ddp.test.tester.transport=websocket")
			.run((context) -> assertThatException().isThrownBy(() -> context.getBean(DdpTester.class))
				.havingRootCause()
				.withMessageContaining("webEnvironment = RANDOM_PORT"));
	}

	@Test
	void inProcessWithoutADdpServerFailsSayingWhatToDo() {
		this.contextRunner.run((context) -> assertThatException().isThrownBy(() -> context.getBean(DdpTester.class))
			.havingRootCause()
			.withMessageContaining("needs the DdpServer bean"));
	}

	private static DdpServer server() {
		DdpMethodRegistry methods = new DdpMethodRegistry();
		methods.register("whoami", (invocation, args) -> invocation.userId());
		Executor direct = Runnable::run;
		return new DdpServer(new MethodDispatcher(methods, Ejson.createDefault(), List.of()),
				new DdpPublicationRegistry(), (collection) -> PublicationStrategy.SERVER_MERGE, direct,
				DdpServerOptions.defaults(), List.of());
	}

}
