package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbound limits (issue 11) over real sockets, set low: each is answered clearly when
 * reached and costs no other session.
 */
@SpringBootTest(
		classes = {
				CollectionTestApplication.class, DdpHostileInputTests.Echo.class, DdpInputLimitsTests.Blocking.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.server.limits.max-sessions=4", "ddp.server.limits.max-subscriptions-per-session=3",
				"ddp.server.limits.max-queued-messages-per-session=20",
				"ddp.server.limits.max-methods-in-flight-per-session=2",
				"ddp.server.limits.max-documents-per-session=5" })
@ExtendWith(OutputCaptureExtension.class)
class DdpInputLimitsTests {

	@LocalServerPort
	int port;

	@Autowired
	DdpServer server;

	@Autowired
	BlockingMethod blocking;

	@Autowired
	MeterRegistry meters;

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	@BeforeEach
	void noSocketsLeft() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.openSocketCount() == 0);
	}

	@Test
	void subscriptionPastTheLimitIsANosubWith429() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			for (int i = 1; i <= 3; i++) {
				client.send("{\"msg\":\"sub\",\"id\":\"s" + i + "\",\"name\":\"noCursors\",\"params\":[]}");
				assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s" + i + "\"]}"));
			}
			client.send("{\"msg\":\"sub\",\"id\":\"s4\",\"name\":\"noCursors\",\"params\":[]}");
			JsonNode nosub = client.next();
			assertThat(nosub.get("msg").asString()).isEqualTo("nosub");
			assertThat(nosub.get("id").asString()).isEqualTo("s4");
			assertThat(nosub.at("/error/error").asInt()).isEqualTo(429);
			client.send("{\"msg\":\"unsub\",\"id\":\"s1\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"s1\"}"));
			client.send("{\"msg\":\"sub\",\"id\":\"s5\",\"name\":\"noCursors\",\"params\":[]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s5\"]}"));
		}
	}

	@Test
	void socketPastTheSessionLimitIsClosedWith1013() {
		List<RawDdpClient> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				clients.add(RawDdpClient.connected(uri()));
			}
			try (RawDdpClient refused = RawDdpClient.open(uri())) {
				assertThat(refused.awaitClose()).isEqualTo(1013);
			}
			assertThat(clients.get(0).call("1", "echo", "[1]").get("result")).isEqualTo(json("[1]"));
			clients.remove(0).close();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.server.openSocketCount() == 3);
			try (RawDdpClient admitted = RawDdpClient.connected(uri())) {
				assertThat(admitted.call("2", "echo", "[2]").get("result")).isEqualTo(json("[2]"));
			}
		}
		finally {
			clients.forEach(RawDdpClient::close);
		}
	}

	@Test
	void clientThatQueuesPastTheLimitIsClosedWith1008AndOthersAreServed() throws Exception {
		double closedBefore = closedWithQueueFull();
		try (RawDdpClient flooder = RawDdpClient.connected(uri());
				RawDdpClient bystander = RawDdpClient.connected(uri())) {
			flooder.send("{\"msg\":\"method\",\"id\":\"b\",\"method\":\"block\",\"params\":[]}");
			assertThat(this.blocking.started.await(10, TimeUnit.SECONDS)).isTrue();
			for (int i = 0; i < 21; i++) {
				flooder.send("{\"msg\":\"method\",\"id\":\"m" + i + "\",\"method\":\"echo\",\"params\":[]}");
			}
			assertThat(flooder.awaitClose()).isEqualTo(1008);
			assertThat(closedWithQueueFull()).isEqualTo(closedBefore + 1);
			assertThat(bystander.call("1", "echo", "[1]").get("result")).isEqualTo(json("[1]"));
		}
		finally {
			this.blocking.release.countDown();
		}
	}

	@Test
	void unblockPastTheInFlightLimitWaitsForAMethodToFinish() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			for (int i = 0; i < 3; i++) {
				client.send("{\"msg\":\"method\",\"id\":\"h" + i + "\",\"method\":\"hold\",\"params\":[]}");
			}
			client.send("{\"msg\":\"method\",\"id\":\"e\",\"method\":\"echo\",\"params\":[1]}");
			// Two run unblocked; the third started but its unblock waits, and so does
			// the echo behind it.
			await().atMost(Duration.ofSeconds(10)).until(() -> this.blocking.held.get() == 3);
			this.blocking.holds.release();
			JsonNode first = client.next((message) -> "result".equals(message.path("msg").asString("")));
			assertThat(first.get("id").asString()).startsWith("h");
			JsonNode second = client.next((message) -> "result".equals(message.path("msg").asString("")));
			assertThat(second.get("id").asString()).isEqualTo("e");
			assertThat(second.get("result")).isEqualTo(json("[1]"));
		}
		finally {
			this.blocking.holds.release(3);
		}
	}

	@Test
	void subscriptionPastTheDocumentLimitIsANosubWith429AndTheSessionGoesOn(CapturedOutput output) {
		double stoppedBefore = stoppedWithTooManyDocuments();
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			client.send("{\"msg\":\"sub\",\"id\":\"a\",\"name\":\"things\",\"params\":[\"a\",3]}");
			client.next((message) -> "ready".equals(message.path("msg").asString("")));
			client.send("{\"msg\":\"sub\",\"id\":\"b\",\"name\":\"things\",\"params\":[\"b\",3]}");
			List<JsonNode> frames = new ArrayList<>();
			JsonNode nosub = client.next((message) -> {
				frames.add(message);
				return "nosub".equals(message.path("msg").asString(""));
			});
			assertThat(nosub.get("id").asString()).isEqualTo("b");
			assertThat(nosub.get("error").get("error").asInt()).isEqualTo(429);
			assertThat(nosub.get("error").get("reason").asString()).isEqualTo("Too many documents");
			// Two of b's documents fit and are withdrawn; a's stay.
			assertThat(frames.stream()
				.filter((frame) -> "removed".equals(frame.path("msg").asString("")))
				.map((frame) -> frame.get("id").asString())).containsExactlyInAnyOrder("b0", "b1");
			assertThat(client.call("1", "echo", "[1]").get("result")).isEqualTo(json("[1]"));
			assertThat(stoppedWithTooManyDocuments()).isEqualTo(stoppedBefore + 1);
			// A second stop on the same session is counted, not logged again.
			client.send("{\"msg\":\"sub\",\"id\":\"c\",\"name\":\"things\",\"params\":[\"c\",3]}");
			JsonNode again = client.next((message) -> "nosub".equals(message.path("msg").asString("")));
			assertThat(again.get("id").asString()).isEqualTo("c");
			assertThat(stoppedWithTooManyDocuments()).isEqualTo(stoppedBefore + 2);
			assertThat(output.getOut().split("ddp.server.limits.max-documents-per-session", -1)).hasSize(2);
			assertThat(output.getOut()).contains("INFO").contains("a subscription was stopped with nosub 429");
		}
	}

	private double stoppedWithTooManyDocuments() {
		return this.meters.get("ddp.server.subscriptions.stopped")
			.tag("reason", "too-many-documents")
			.counter()
			.count();
	}

	private double closedWithQueueFull() {
		return this.meters.get("ddp.server.sessions.closed").tag("reason", "queue-full").counter().count();
	}

	@Configuration(proxyBeanMethods = false)
	static class Blocking {

		@Bean
		Things things() {
			return new Things();
		}

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		BlockingMethod blockingMethod() {
			return new BlockingMethod();
		}

	}

	static class Things {

		@DdpPublication
		public void things(String prefix, int count, ServerSubscription subscription) {
			for (int i = 0; i < count; i++) {
				subscription.added("things", prefix + i, Map.of("i", i));
			}
			subscription.ready();
		}

	}

	static class BlockingMethod {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger held = new AtomicInteger();

		final Semaphore holds = new Semaphore(0);

		@DdpMethod
		public boolean hold(DdpMethodInvocation invocation) throws InterruptedException {
			this.held.incrementAndGet();
			invocation.unblock();
			return this.holds.tryAcquire(30, TimeUnit.SECONDS);
		}

		@DdpMethod
		public boolean block() throws InterruptedException {
			this.started.countDown();
			return this.release.await(30, TimeUnit.SECONDS);
		}

	}

}
