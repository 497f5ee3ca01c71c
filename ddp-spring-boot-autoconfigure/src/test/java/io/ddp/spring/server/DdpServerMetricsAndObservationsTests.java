package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meters and observations of the DDP server, asserted after real calls and subscriptions
 * over WebSocket.
 */
@SpringBootTest(classes = { OpsTestApplication.class, DdpServerMetricsAndObservationsTests.Registries.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpServerMetricsAndObservationsTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	TestObservationRegistry observations;

	@BeforeEach
	void clearObservations() {
		this.observations.clear();
	}

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@Test
	void successfulCallsAreTimedByRegisteredName() {
		double before = timerCount("ddp.server.methods", "ddp.method", "echo", "outcome", "SUCCESS", "error", "none",
				"ddp.error.code", "none");
		try (RawDdpClient client = connect()) {
			client.call("1", "echo", "[1]");
			client.call("2", "echo", "[2]");
		}
		await().untilAsserted(() -> assertThat(timerCount("ddp.server.methods", "ddp.method", "echo", "outcome",
				"SUCCESS", "error", "none", "ddp.error.code", "none"))
			.isEqualTo(before + 2));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("ddp.server.methods", 2)
			.forAllObservationsWithNameEqualTo("ddp.server.methods",
					(observation) -> observation.hasLowCardinalityKeyValue("ddp.method", "echo")
						.hasLowCardinalityKeyValue("outcome", "SUCCESS")
						.hasContextualNameEqualTo("method echo"));
	}

	@Test
	void errorsAreTaggedWithTheirCodeOrExceptionName() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "refuse", "[]").path("error").path("error").asString())
				.isEqualTo("not-allowed");
			assertThat(client.call("2", "crash", "[]").path("error").path("error").asInt()).isEqualTo(500);
		}
		await().untilAsserted(() -> {
			assertThat(timerCount("ddp.server.methods", "ddp.method", "refuse", "outcome", "ERROR", "error",
					"DdpException", "ddp.error.code", "not-allowed"))
				.isGreaterThanOrEqualTo(1);
			assertThat(timerCount("ddp.server.methods", "ddp.method", "crash", "outcome", "SERVER_ERROR", "error",
					"IllegalStateException", "ddp.error.code", "none"))
				.isGreaterThanOrEqualTo(1);
		});
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("ddp.method", "crash")
				.assertThatError()
				.isInstanceOf(IllegalStateException.class));
	}

	@Test
	void unknownMethodNamesNeverBecomeTagValues() {
		try (RawDdpClient client = connect()) {
			JsonNode result = client.call("1", "attacker-chosen-name", "[]");
			assertThat(result.path("error").path("error").asInt()).isEqualTo(404);
		}
		await().untilAsserted(() -> assertThat(timerCount("ddp.server.methods", "ddp.method", "UNKNOWN", "outcome",
				"ERROR", "error", "DdpException", "ddp.error.code", "404"))
			.isGreaterThanOrEqualTo(1));
		assertThat(this.meters.getMeters()).allSatisfy(
				(meter) -> assertThat(meter.getId().getTags()).noneMatch((tag) -> tag.getValue().contains("attacker")));
	}

	@Test
	void subscriptionsAreObservedUntilReadyErrorOrStop() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"docs\",\"params\":[3]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			client.send("{\"msg\":\"sub\",\"id\":\"s2\",\"name\":\"refused\",\"params\":[]}");
			client.next((frame) -> "nosub".equals(frame.path("msg").asString()));
			client.send("{\"msg\":\"sub\",\"id\":\"s3\",\"name\":\"no-such-pub\",\"params\":[]}");
			client.next((frame) -> "nosub".equals(frame.path("msg").asString()));
			client.send("{\"msg\":\"sub\",\"id\":\"s4\",\"name\":\"neverReady\",\"params\":[]}");
			client.send("{\"msg\":\"unsub\",\"id\":\"s4\"}");
			client.next((frame) -> "nosub".equals(frame.path("msg").asString())
					&& "s4".equals(frame.path("id").asString()));
		}
		await().untilAsserted(() -> {
			assertThat(timerCount("ddp.server.subscriptions", "ddp.publication", "docs", "outcome", "SUCCESS", "error",
					"none", "ddp.error.code", "none"))
				.isGreaterThanOrEqualTo(1);
			assertThat(timerCount("ddp.server.subscriptions", "ddp.publication", "refused", "outcome", "ERROR", "error",
					"DdpException", "ddp.error.code", "403"))
				.isGreaterThanOrEqualTo(1);
			assertThat(timerCount("ddp.server.subscriptions", "ddp.publication", "UNKNOWN", "outcome", "ERROR", "error",
					"DdpException", "ddp.error.code", "404"))
				.isGreaterThanOrEqualTo(1);
			assertThat(timerCount("ddp.server.subscriptions", "ddp.publication", "neverReady", "outcome", "STOPPED",
					"error", "none", "ddp.error.code", "none"))
				.isGreaterThanOrEqualTo(1);
		});
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("ddp.server.subscriptions", 4)
			.forAllObservationsWithNameEqualTo("ddp.server.subscriptions",
					(observation) -> observation.doesNotHaveLowCardinalityKeyValue("outcome", "UNKNOWN"));
	}

	@Test
	void aSubscriptionPendingWhenTheSessionClosesIsStopped() {
		double stopped = timerCount("ddp.server.subscriptions", "ddp.publication", "neverReady", "outcome", "STOPPED",
				"error", "none", "ddp.error.code", "none");
		RawDdpClient client = connect();
		client.send("{\"msg\":\"sub\",\"id\":\"p\",\"name\":\"neverReady\",\"params\":[]}");
		client.call("1", "echo", "[]");
		client.close();
		await().untilAsserted(() -> assertThat(timerCount("ddp.server.subscriptions", "ddp.publication", "neverReady",
				"outcome", "STOPPED", "error", "none", "ddp.error.code", "none"))
			.isEqualTo(stopped + 1));
	}

	@Test
	void messagesAreCountedByTypeAndUnknownTypesAsOther() {
		double connects = counter("ddp.server.messages.received", "type", "connect");
		double methods = counter("ddp.server.messages.received", "type", "method");
		double other = counter("ddp.server.messages.received", "type", "other");
		double results = counter("ddp.server.messages.sent", "type", "result");
		double updated = counter("ddp.server.messages.sent", "type", "updated");
		double connected = counter("ddp.server.messages.sent", "type", "connected");
		double errors = counter("ddp.server.messages.sent", "type", "error");
		double badRequests = counter("ddp.server.messages.rejected", "reason", "bad-request");
		double parseErrors = counter("ddp.server.messages.rejected", "reason", "parse-error");
		try (RawDdpClient client = connect()) {
			client.call("1", "echo", "[]");
			client.send("{\"msg\":\"evil-type\"}");
			client.next((frame) -> "error".equals(frame.path("msg").asString()));
			client.send("not json");
			client.next((frame) -> "error".equals(frame.path("msg").asString()));
			client.send("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"echo\",\"params\":[{\"$date\":\"x\"}]}");
			client.next((frame) -> "Parse error".equals(frame.path("reason").asString()));
		}
		assertThat(counter("ddp.server.messages.received", "type", "connect")).isEqualTo(connects + 1);
		assertThat(counter("ddp.server.messages.received", "type", "method")).isEqualTo(methods + 2);
		// "evil-type" (and the text that is no JSON message at all) count as other
		assertThat(counter("ddp.server.messages.received", "type", "other")).isEqualTo(other + 2);
		assertThat(counter("ddp.server.messages.sent", "type", "connected")).isEqualTo(connected + 1);
		assertThat(counter("ddp.server.messages.sent", "type", "result")).isEqualTo(results + 1);
		assertThat(counter("ddp.server.messages.sent", "type", "updated")).isEqualTo(updated + 1);
		assertThat(counter("ddp.server.messages.sent", "type", "error")).isEqualTo(errors + 3);
		assertThat(counter("ddp.server.messages.rejected", "reason", "bad-request")).isEqualTo(badRequests + 2);
		assertThat(counter("ddp.server.messages.rejected", "reason", "parse-error")).isEqualTo(parseErrors + 1);
		assertThat(this.meters.find("ddp.server.messages.received").tag("type", "evil-type").meter()).isNull();
	}

	@Test
	void sessionAndMergeBoxGaugesFollowTheOpenSessions() {
		// Sessions of earlier tests close asynchronously after their sockets: start from
		// none
		await().untilAsserted(() -> assertThat(gauge("ddp.server.sessions", "transport", "websocket")).isZero());
		double sessions = 0;
		try (RawDdpClient first = connect(); RawDdpClient second = connect()) {
			assertThat(gauge("ddp.server.sessions", "transport", "websocket")).isEqualTo(sessions + 2);
			assertThat(gauge("ddp.server.sessions", "transport", "sockjs")).isZero();
			first.send("{\"msg\":\"sub\",\"id\":\"a\",\"name\":\"docs\",\"params\":[5]}");
			first.next((frame) -> "ready".equals(frame.path("msg").asString()));
			second.send("{\"msg\":\"sub\",\"id\":\"b\",\"name\":\"docs\",\"params\":[2]}");
			second.next((frame) -> "ready".equals(frame.path("msg").asString()));
			assertThat(this.meters.get("ddp.server.mergebox.documents").gauge().value()).isEqualTo(7);
		}
		await().untilAsserted(() -> {
			assertThat(gauge("ddp.server.sessions", "transport", "websocket")).isEqualTo(sessions);
			assertThat(this.meters.get("ddp.server.mergebox.documents").gauge().value()).isZero();
		});
	}

	@Test
	void runningMethodsAreGauged() throws Exception {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"sleep\",\"params\":[700]}");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(
						() -> assertThat(this.meters.get("ddp.server.methods.running").gauge().value()).isEqualTo(1));
			client.next((frame) -> "result".equals(frame.path("msg").asString()));
			await().untilAsserted(
					() -> assertThat(this.meters.get("ddp.server.methods.running").gauge().value()).isZero());
		}
	}

	private double timerCount(String name, String... tags) {
		io.micrometer.core.instrument.Timer timer = this.meters.find(name).tags(tags).timer();
		return (timer != null) ? timer.count() : 0;
	}

	private double counter(String name, String tag, String value) {
		io.micrometer.core.instrument.Counter counter = this.meters.find(name).tag(tag, value).counter();
		assertThat(counter).as("counter %s{%s=%s}", name, tag, value).isNotNull();
		return counter.count();
	}

	private double gauge(String name, String tag, String value) {
		return this.meters.get(name).tag(tag, value).gauge().value();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Registries {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TestObservationRegistry testObservationRegistry() {
			return TestObservationRegistry.create();
		}

	}

}
