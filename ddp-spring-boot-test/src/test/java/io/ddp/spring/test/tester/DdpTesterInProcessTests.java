package io.ddp.spring.test.tester;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import io.ddp.spring.server.session.DdpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tester's API in process, against a {@link DdpServer} built by hand with a small
 * todo list.
 */
class DdpTesterInProcessTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final TodoFixture todos = new TodoFixture();

	private DdpServer server;

	private DdpTester tester;

	@BeforeEach
	void startServer() {
		Ejson ejson = Ejson.createDefault();
		DdpMethodRegistry methods = new DdpMethodRegistry();
		DdpPublicationRegistry publications = new DdpPublicationRegistry();
		this.todos.register(methods, publications);
		this.server = new DdpServer(new MethodDispatcher(methods, ejson, List.of()), publications,
				(collection) -> PublicationStrategy.SERVER_MERGE, this.executor, DdpServerOptions.defaults(),
				List.of());
		this.tester = DdpTester.inProcess(this.server).ejson(ejson).timeout(Duration.ofSeconds(5)).build();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
		this.executor.shutdownNow();
	}

	@Test
	void callResultComparesAsEjsonAndConvertsToATypes() {
		this.tester.call("add", "Buy milk").result().isEqualTo("t1");
		this.tester.call("count").result().isEqualTo(1L).isEqualToJson("1");
		List<TodoFixture.Todo> all = this.tester.call("list")
			.resultAs(new ParameterizedTypeReference<List<TodoFixture.Todo>>() {
			});
		assertThat(all).containsExactly(new TodoFixture.Todo("t1", "Buy milk", false));
		assertThat(this.tester.call("find", "t1").resultAs(TodoFixture.Todo.class))
			.isEqualTo(new TodoFixture.Todo("t1", "Buy milk", false));
	}

	@Test
	void aMethodThatReturnsNothingHasNoResult() {
		this.tester.call("clear").result().isUndefined();
		this.tester.call("find", "nope").result().isNull();
	}

	@Test
	void callErrorsAssertCodeReasonAndDetails() {
		this.tester.call("remove", "nope")
			.error()
			.hasCode(404)
			.hasReason("No such todo")
			.hasDetails(Map.of("id", "nope"));
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tester.call("remove", "nope").result())
			.withMessageContaining("to succeed but it failed")
			.withMessageContaining("No such todo");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("remove", "nope").error().hasCode(403))
			.withMessageContaining("error 403");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.tester.call("add", "x").error())
			.withMessageContaining("to fail but it returned \"t1\"");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.tester.call("count").result().isEqualTo(2))
			.withMessageContaining("to return 2 but it returned 1");
	}

	@Test
	void anUnknownMethodIs404() {
		this.tester.call("nope").error().hasCode(404).hasReason("Method 'nope' not found");
	}

	@Test
	void subscriptionFramesAddUpToDocumentsAndSeeLaterWrites() {
		this.tester.call("add", "a");
		this.tester.call("add", "b");
		try (SubscriptionSpec subscription = this.tester.subscribe("todos")) {
			subscription.isReady()
				.added("todos")
				.hasSize(2)
				.containsIds("t1", "t2")
				.hasFields("t1", Map.of("title", "a", "done", false));
			subscription.collection("todos").hasSize(2);
			this.tester.call("add", "c").result().isEqualTo("t3");
			this.tester.call("done", "t1");
			this.tester.call("remove", "t2");
			subscription.awaitAsserted((spec) -> spec.collection("todos")
				.hasSize(2)
				.containsIds("t1", "t3")
				.doesNotContainIds("t2")
				.hasFields("t1", Map.of("done", true)));
			subscription.changed("todos").hasSize(1).hasFields("t1", Map.of("done", true));
			subscription.removed("todos").containsIds("t2");
			assertThat(subscription.collection("todos").document("t3", TodoFixture.Todo.class))
				.isEqualTo(new TodoFixture.Todo("t3", "c", false));
			subscription.stop().hasNoError();
		}
	}

	@Test
	void awaitingFramesThatNeverComeFailsAfterTheTimeout() {
		DdpTester impatient = this.tester.mutate().timeout(Duration.ofMillis(200)).build();
		try (SubscriptionSpec subscription = impatient.subscribe("todos")) {
			subscription.isReady();
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> subscription.awaitAsserted((spec) -> spec.collection("todos").hasSize(1)))
				.withMessageContaining("Expected 1 document(s) in 'todos' but got 0");
		}
	}

	@Test
	void aFailingPublicationEndsWithNosub() {
		try (SubscriptionSpec subscription = this.tester.subscribe("mine")) {
			subscription.nosub().hasError(401).hasReason("Log in first");
			assertThatExceptionOfType(AssertionError.class).isThrownBy(subscription::isReady)
				.withMessageContaining("to be ready but it ended");
		}
		try (SubscriptionSpec subscription = this.tester.subscribe("nope")) {
			subscription.nosub().hasError(404);
		}
	}

	@Test
	void theUserIdLogsEveryConnectionIn() {
		DdpTester alice = this.tester.mutate().userId("alice").build();
		alice.call("whoami").result().isEqualTo("alice");
		this.tester.call("whoami").result().isNull();
		try (SubscriptionSpec mine = alice.subscribe("mine")) {
			mine.isReady().added("me").hasFields("alice", Map.of("user", "alice"));
		}
	}

	@Test
	void theIdentityReachesTheConnection() {
		DdpTester tester = this.tester.mutate().clientAddress("10.0.0.1").header("User-Agent", "tester/1").build();
		Map<String, Object> connection = tester.call("connection").resultAs(new ParameterizedTypeReference<>() {
		});
		assertThat(connection).containsEntry("address", "10.0.0.1")
			.containsEntry("headers", Map.of("user-agent", "tester/1"))
			.containsEntry("transport", "in-process");
	}

	@Test
	void aConnectionCarriesCallsAndSubscriptionsOfOneSession() {
		try (DdpTester.Connection connection = this.tester.connect()) {
			assertThat(connection.sessionId()).isNotBlank();
			assertThat(this.server.connections()).extracting(ClientConnection::id).contains(connection.sessionId());
			SubscriptionSpec subscription = connection.subscribe("todos").isReady();
			connection.call("add", "a").result().isEqualTo("t1");
			subscription.awaitAsserted((spec) -> spec.added("todos").hasSize(1));
			subscription.stop().hasNoError();
			connection.call("add", "b");
			assertThat(subscription.added("todos").ids()).containsExactly("t1");
		}
	}

	@Test
	void eachCallClosesItsConnectionAndASubscriptionClosesItsOwn() {
		this.tester.call("count");
		SubscriptionSpec subscription = this.tester.subscribe("todos").isReady();
		assertThat(this.server.sessionCount()).isOne();
		subscription.close();
		assertThat(this.server.sessionCount()).isZero();
	}

}
