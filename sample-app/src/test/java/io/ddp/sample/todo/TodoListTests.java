package io.ddp.sample.todo;

import java.util.Map;

import io.ddp.spring.test.tester.DdpTester;
import io.ddp.spring.test.tester.SubscriptionSpec;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * The todo list's methods and publications through {@link DdpTester}; each subclass runs
 * them over one transport.
 */
abstract class TodoListTests {

	@Autowired
	DdpTester tester;

	@Test
	void anAddedTodoReachesEverySubscriber() {
		try (SubscriptionSpec todos = this.tester.subscribe("todos")) {
			todos.isReady();
			String id = this.tester.call("todos.add", "  Buy milk ").resultAs(String.class);
			todos.awaitAsserted(
					(spec) -> spec.collection("todos").hasFields(id, Map.of("text", "Buy milk", "done", false)));
			todos.added("todos").containsIds(id);
		}
	}

	@Test
	void aTodoNeedsText() {
		this.tester.call("todos.add", " ").error().hasCode(400).hasReason("Text required");
	}

	@Test
	void togglingReturnsTheNewStateAndAnUnknownTodoIs404() {
		String id = this.tester.call("todos.add", "Walk the dog").resultAs(String.class);
		this.tester.call("todos.toggle", id).result().isEqualTo(true);
		this.tester.call("todos.toggle", id).result().isEqualTo(false);
		this.tester.call("todos.toggle", "nope").error().hasCode(404).hasReason("No todo nope");
	}

	@Test
	void aDoneTodoLeavesTheOpenListAndARemovedOneLeavesAll() {
		String id = this.tester.call("todos.add", "Water the plants").resultAs(String.class);
		try (DdpTester.Connection connection = this.tester.connect()) {
			SubscriptionSpec open = connection.subscribe("todos.open").isReady();
			SubscriptionSpec all = connection.subscribe("todos").isReady();
			open.collection("todos").containsIds(id);
			this.tester.call("todos.toggle", id).result().isEqualTo(true);
			// Still published by 'todos', so the document stays and only changes.
			all.awaitAsserted((spec) -> spec.collection("todos").hasFields(id, Map.of("done", true)));
			this.tester.call("todos.remove", id).result().isUndefined();
			all.awaitAsserted((spec) -> spec.collection("todos").doesNotContainIds(id));
		}
	}

}
