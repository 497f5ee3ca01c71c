package io.ddp.spring.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodCaller;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/**
 * The application the protocol tests talk to over real sockets.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ProtocolTestApplication {

	@Bean
	TestMethods testMethods(DdpMethodCaller caller) {
		return new TestMethods(caller);
	}

	@Bean
	TestPublications testPublications() {
		return new TestPublications();
	}

	@Bean
	@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty("test.universal-publication")
	UniversalPublication universalPublication() {
		return new UniversalPublication();
	}

	@Bean
	ConnectionEvents connectionEvents() {
		return new ConnectionEvents();
	}

	record Point(int x, int y) {
	}

	static class TestMethods {

		private final DdpMethodCaller caller;

		TestMethods(DdpMethodCaller caller) {
			this.caller = caller;
		}

		@DdpMethod
		public Object[] echo(Object... args) {
			return args;
		}

		@DdpMethod("math/add.ints")
		public int add(int a, int b) {
			return a + b;
		}

		@DdpMethod
		public Point movePoint(Point point, List<Point> deltas) {
			int x = point.x();
			int y = point.y();
			for (Point delta : deltas) {
				x += delta.x();
				y += delta.y();
			}
			return new Point(x, y);
		}

		@DdpMethod
		public String optional(java.util.Optional<String> value, String missing) {
			return value.orElse("empty") + ":" + missing;
		}

		@DdpMethod
		public void nothing() {
		}

		@DdpMethod
		public Object returnsNull() {
			return null;
		}

		@DdpMethod
		public Object undefinedResult() {
			return DdpMethodHandler.NO_RESULT;
		}

		@DdpMethod
		public CompletableFuture<String> future(String value) {
			return CompletableFuture.supplyAsync(() -> value + "!");
		}

		@DdpMethod
		public CompletableFuture<Void> futureVoid() {
			return CompletableFuture.completedFuture(null);
		}

		@DdpMethod
		public Mono<String> mono(String value) {
			return Mono.just(value + "?");
		}

		@DdpMethod
		public CompletableFuture<String> failingFuture() {
			return CompletableFuture.failedFuture(new DdpException(409, "Conflict", List.of("x")));
		}

		@DdpMethod
		public void numericError() {
			throw new DdpException(403, "Forbidden");
		}

		@DdpMethod
		public void codeOnly() {
			throw new DdpException("just-a-code");
		}

		@DdpMethod
		public void internal() {
			throw new IllegalStateException("secret detail");
		}

		@DdpMethod
		public String validated(@NotBlank String name, @Min(1) int count) {
			return name.repeat(count);
		}

		@DdpMethod
		public long sleep(long millis, DdpMethodInvocation invocation) throws InterruptedException {
			Thread.sleep(millis);
			return millis;
		}

		@DdpMethod
		public long sleepUnblocked(long millis, DdpMethodInvocation invocation) throws InterruptedException {
			invocation.unblock();
			Thread.sleep(millis);
			return millis;
		}

		@DdpMethod
		public String setUser(String id, DdpMethodInvocation invocation) {
			invocation.setUserId(id);
			return id;
		}

		@DdpMethod
		public String setUserAfterUnblock(String id, DdpMethodInvocation invocation) {
			invocation.unblock();
			invocation.setUserId(id);
			return id;
		}

		@DdpMethod
		public String whoami(DdpMethodInvocation invocation) {
			return invocation.userId();
		}

		@DdpMethod
		public Map<String, Object> context(DdpMethodInvocation invocation, ClientConnection connection) {
			return Map.of("name", invocation.name(), "simulation", invocation.isSimulation(), "connection",
					connection.id(), "address", String.valueOf(connection.clientAddress()), "headers",
					connection.httpHeaders(), "transport", connection.transport());
		}

		@DdpMethod
		public List<String> randomIds(DdpMethodInvocation invocation) {
			return List.of(String.valueOf(invocation.randomSeed()), invocation.randomStream("/collection/tasks").id(),
					invocation.randomStream("/collection/tasks").id());
		}

		@DdpMethod
		public int argumentCount(MethodArguments arguments) {
			return arguments.size();
		}

		@DdpMethod
		public Object nestedEcho(String value, DdpMethodInvocation invocation) {
			return this.caller.call("whoami") + "/" + this.caller.call("echo", value);
		}

		@DdpMethod
		public void closeMe(ClientConnection connection) {
			connection.close();
		}

		@DdpMethod
		public Object unserializable() {
			return new Object() {
				public Object getSelf() {
					throw new IllegalStateException("cannot serialize");
				}
			};
		}

	}

	static class TestPublications {

		final java.util.Set<String> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

		@DdpPublication
		public void docs(int count, ServerSubscription subscription) {
			for (int i = 0; i < count; i++) {
				subscription.added("docs", "d" + i, Map.of("n", i));
			}
			subscription.ready();
			subscription.onStop(() -> this.stopped.add(subscription.id()));
		}

		@DdpPublication
		public void neverReady(ServerSubscription subscription) {
			subscription.added("docs", "quiet", Map.of("n", -1));
		}

		@DdpPublication
		public Object returnsValue() {
			return "not a cursor";
		}

		@DdpPublication
		public void fails() {
			throw new DdpException("nope", "Publication refused", Map.of("why", "test"));
		}

		@DdpPublication
		public void failsInternally() {
			throw new IllegalStateException("hidden");
		}

		@DdpPublication
		public void escapedIds(ServerSubscription subscription) {
			subscription.added("ids", "-dash", Map.of());
			subscription.added("ids", 42, Map.of("x", 1));
			subscription.added("ids", "507f1f77bcf86cd799439011", Map.of());
			subscription.ready();
		}

		@DdpPublication
		public void clearing(ServerSubscription subscription) {
			Map<String, Object> fields = new java.util.LinkedHashMap<>();
			fields.put("keep", 1);
			fields.put("drop", 2);
			subscription.added("clear", "c", fields);
			Map<String, Object> change = new java.util.HashMap<>();
			change.put("drop", null);
			change.put("keep", 3);
			subscription.changed("clear", "c", change);
			subscription.ready();
		}

		@DdpPublication
		public void perUser(ServerSubscription subscription) {
			subscription.added("me", "me", Map.of("user", String.valueOf(subscription.userId())));
			subscription.ready();
		}

		@DdpPublication
		public void fromAnotherThread(ServerSubscription subscription) {
			subscription.ready();
			new Thread(() -> {
				subscription.added("async", "a", Map.of("v", 1));
				subscription.changed("async", "a", Map.of("v", 2));
			}).start();
		}

		@DdpPublication
		public void slowUnblocked(ServerSubscription subscription) throws InterruptedException {
			subscription.unblock();
			Thread.sleep(500);
			subscription.ready();
		}

	}

	/**
	 * A universal publication, only where a test asks for it: it adds a document to every
	 * session.
	 */
	static class UniversalPublication {

		@DdpPublication(universal = true)
		public void everyone(ServerSubscription subscription) {
			subscription.added("universal", "u", Map.of("hello", "world"));
			subscription.ready();
		}

	}

	static class ConnectionEvents {

		final List<DdpConnectionEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void on(DdpConnectionEvent event) {
			this.events.add(event);
		}

	}

}
