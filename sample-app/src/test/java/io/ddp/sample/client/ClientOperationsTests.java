package io.ddp.sample.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.ddp.sample.FixedFreePort;
import io.ddp.sample.SampleApplication;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.protocol.DdpException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's {@code remote} connection as an operator sees it: the DDP health of
 * the connection on {@code /actuator/health} and its meters, while the remote server (the
 * app itself, behind a TCP relay the test controls) goes away and comes back.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("conformance")
class ClientOperationsTests {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static int port;

	private static TcpRelay relay;

	@Autowired
	@DdpClient("remote")
	DdpConnection remote;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void remoteBehindRelay(DynamicPropertyRegistry registry) throws IOException {
		port = FixedFreePort.register(registry);
		relay = new TcpRelay("127.0.0.1", port);
		registry.add("ddp.client.connections.remote.url", () -> "ws://127.0.0.1:" + relay.port() + "/websocket");
		registry.add("ddp.client.connections.remote.lazy", () -> "false");
		registry.add("ddp.client.connections.remote.retry.base-delay", () -> "100ms");
		registry.add("ddp.client.connections.remote.retry.max-delay", () -> "300ms");
		registry.add("management.health.ddp.grace-period", () -> "1s");
	}

	@AfterAll
	static void closeRelay() {
		relay.close();
	}

	@Test
	void healthFollowsTheRemoteServerAndMetersCountCallsSubscriptionsAndReconnects() throws Exception {
		await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(remoteHealth().path("status").asString()));
		JsonNode up = remoteHealth();
		assertThat(up.path("details").path("state").asString()).isEqualTo("connected");
		assertThat(up.path("details").path("version").asString()).isEqualTo("1");
		assertThat(up.path("details").path("sessionId").asString()).hasSize(17);

		// Calls and their outcomes
		assertThat(this.remote.call("echo", List.class, "a", 1)).containsExactly("a", 1);
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> this.remote.call("throwMeteorError"))
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo("custom-error"));
		assertThat(this.meters.get("ddp.client.calls")
			.tags("ddp.client.name", "remote", "ddp.method", "echo", "outcome", "SUCCESS")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("ddp.client.calls")
			.tags("ddp.client.name", "remote", "ddp.method", "throwMeteorError", "outcome", "ERROR")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("ddp.client.calls.pending").tag("ddp.client.name", "remote").gauge().value())
			.isZero();

		// A subscription
		DdpSubscription items = this.remote.subscribe("items", 3);
		items.ready().get();
		assertThat(this.meters.get("ddp.client.subscriptions").tag("ddp.client.name", "remote").gauge().value())
			.isEqualTo(1);

		// The remote server goes away: UP within the grace period, DOWN after it
		double reconnectsBefore = reconnects();
		relay.refuse(true);
		relay.killAll();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.remote.status().connected());
		JsonNode waiting = remoteHealth();
		assertThat(waiting.path("status").asString()).isEqualTo("UP");
		assertThat(waiting.path("details").path("state").asString()).isIn("waiting", "connecting");
		await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(remoteHealth().path("status").asString()));
		JsonNode down = remoteHealth();
		assertThat(down.path("details").path("retryCount").asInt()).isPositive();
		assertThat(down.path("details").has("downSince")).isTrue();
		assertThat(health("/actuator/health/readiness").statusCode()).isEqualTo(503);

		// It comes back: UP again, the subscription is still there, the reconnect is
		// counted
		relay.refuse(false);
		await().atMost(Duration.ofSeconds(20)).until(() -> "UP".equals(remoteHealth().path("status").asString()));
		assertThat(this.remote.status().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(health("/actuator/health/readiness").statusCode()).isEqualTo(200);
		assertThat(reconnects()).isEqualTo(reconnectsBefore + 1);
		assertThat(this.remote.call("echo", List.class, "back")).containsExactly("back");
		assertThat(this.meters.get("ddp.client.subscriptions").tag("ddp.client.name", "remote").gauge().value())
			.isEqualTo(1);
		items.stop();
		assertThat(this.meters.get("ddp.client.subscriptions").tag("ddp.client.name", "remote").gauge().value())
			.isZero();
	}

	private double reconnects() {
		return this.meters.get("ddp.client.reconnects").tag("ddp.client.name", "remote").counter().count();
	}

	private static JsonNode remoteHealth() throws Exception {
		HttpResponse<String> response = health("/actuator/health/ddp");
		return json.readTree(response.body()).path("components").path("clients").path("components").path("remote");
	}

	private static HttpResponse<String> health(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
