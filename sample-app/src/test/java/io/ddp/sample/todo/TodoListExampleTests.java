package io.ddp.sample.todo;

import java.util.Map;

import io.ddp.sample.SampleApplication;
import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;
import io.ddp.spring.test.tester.DdpTester;
import io.ddp.spring.test.tester.SubscriptionSpec;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The example of the README's "Testing your DDP application", verbatim.
 */
@SpringBootTest(classes = SampleApplication.class, properties = "ddp.client.connections.remote.lazy=true")
@AutoConfigureDdpTester
class TodoListExampleTests {

	@Autowired
	DdpTester tester;

	@Test
	void addedTodosReachSubscribers() {
		this.tester.call("todos.add", " ").error().hasCode(400).hasReason("Text required");
		try (SubscriptionSpec todos = this.tester.subscribe("todos.open")) {
			todos.isReady();
			String id = this.tester.call("todos.add", "Buy milk").resultAs(String.class);
			todos.awaitAsserted((spec) -> spec.collection("todos").hasFields(id, Map.of("text", "Buy milk")));
			this.tester.call("todos.toggle", id).result().isEqualTo(true);
			todos.awaitAsserted((spec) -> spec.removed("todos").containsIds(id));
		}
	}

}
