package io.ddp.sample.todo;

import io.ddp.sample.SampleApplication;
import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The todo list over a real WebSocket to the application on a random port. The lazy
 * {@code remote} connection resolves {@code ${local.server.port}} at first use, so the
 * app's own client reaches it too.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.client.connections.remote.url=ws://localhost:${local.server.port}/websocket",
				"ddp.client.connections.remote.lazy=true" })
@AutoConfigureDdpTester
class TodoListWebSocketTests extends TodoListTests {

	@Test
	void theAppsOwnLazyClientReachesItOnARandomPort() {
		String id = this.tester.call("todos.add", "mirror me").resultAs(String.class);
		this.tester.call("todos.mirror")
			.result()
			.satisfies((todos) -> assertThat(todos.toString()).contains("\"_id\":\"" + id + "\""));
	}

}
