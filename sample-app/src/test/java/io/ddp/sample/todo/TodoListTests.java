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
	void aNewTodoPushesTheOldestOutOfEveryLatestWindow() {
		String oldest = this.tester.call("todos.add", "first").resultAs(String.class);
		String middle = this.tester.call("todos.add", "second").resultAs(String.class);
		try (DdpTester.Connection one = this.tester.connect(); DdpTester.Connection two = this.tester.connect()) {
			SubscriptionSpec first = one.subscribe("todos.latest", 2).isReady();
			SubscriptionSpec second = two.subscribe("todos.latest", 2).isReady();
			first.collection("todos").hasSize(2).containsIds(oldest, middle);
			String newest = this.tester.call("todos.add", "third").resultAs(String.class);
			for (SubscriptionSpec latest : new SubscriptionSpec[] { first, second }) {
				latest.awaitAsserted((spec) -> spec.collection("todos")
					.hasSize(2)
					.containsIds(middle, newest)
					.doesNotContainIds(oldest));
				latest.removed("todos").containsIds(oldest);
			}
			// Removing the newest brings the oldest back
			this.tester.call("todos.remove", newest).result().isUndefined();
			first.awaitAsserted((spec) -> spec.collection("todos").hasSize(2).containsIds(oldest, middle));
		}
	}

	@Test
	void theLatestWindowNeedsAReasonableSize() {
		this.tester.subscribe("todos.latest", 0).nosub().hasError(400);
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
