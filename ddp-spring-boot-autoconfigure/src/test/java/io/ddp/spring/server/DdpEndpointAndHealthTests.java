package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.ddp.spring.test.client.ScriptedDdpConnection;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ddp} actuator endpoint and the {@code ddp} health contributor, over HTTP
 * against a running server with real DDP sessions.
 */
@SpringBootTest(classes = { OpsTestApplication.class, DdpEndpointAndHealthTests.Clients.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=ddp,health",
				"management.endpoint.health.show-details=always",
				"management.endpoint.health.group.readiness.include=readinessState,ddp",
				// The endpoint itself is under test, not Spring Security (on this
				// module's
				// test classpath), which would protect it.
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration,"
						+ "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
class DdpEndpointAndHealthTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode get(String path) throws Exception {
		HttpResponse<String> response = send("GET", path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return RawDdpClient.json(response.body());
	}

	@Test
	void endpointListsMethodsPublicationsSessionsAndClients() throws Exception {
		try (RawDdpClient client = connect()) {
			client.call("1", "echo", "[]");
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"docs\",\"params\":[2]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			JsonNode ddp = get("/actuator/ddp");
			JsonNode server = ddp.path("server");
			assertThat(server.path("accepting").asBoolean()).isTrue();
			assertThat(server.path("methods").path("echo").asString()).contains("OpsMethods").contains("echo");
			assertThat(server.path("methods").has("sleep")).isTrue();
			assertThat(server.path("publications").path("docs").asString()).contains("OpsPublications");
			JsonNode session = null;
			for (JsonNode candidate : server.path("sessions")) {
				if (candidate.path("subscriptions").path("s1").asString("").equals("docs")) {
					session = candidate;
				}
			}
			assertThat(session).as("our session in %s", server.path("sessions")).isNotNull();
			assertThat(session.path("transport").asString()).isEqualTo("websocket");
			assertThat(session.path("clientAddress").asString()).isEqualTo("127.0.0.1");
			assertThat(session.path("version").asString()).isEqualTo("1");
			assertThat(session.path("mergeBoxDocuments").asInt()).isEqualTo(2);
			assertThat(session.path("connectedAt").asString()).isNotEmpty();
			JsonNode upstream = ddp.path("clients").path("upstream");
			assertThat(upstream.path("state").asString()).isEqualTo("connected");
			assertThat(upstream.path("sessionId").asString()).isEqualTo("upstream-session");
			assertThat(upstream.path("subscriptions").asInt()).isEqualTo(3);
		}
	}

	@Test
	void deletingASessionClosesItsSocket() throws Exception {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"mine\",\"name\":\"docs\",\"params\":[1]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			String id = null;
			for (JsonNode session : get("/actuator/ddp").path("server").path("sessions")) {
				if (session.path("subscriptions").has("mine")) {
					id = session.path("id").asString();
				}
			}
			assertThat(id).isNotNull();
			HttpResponse<String> response = send("DELETE", "/actuator/ddp/" + id);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(RawDdpClient.json(response.body()).path("closed").asBoolean()).isTrue();
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@Test
	void deletingAnUnknownSessionIsNotFound() throws Exception {
		assertThat(send("DELETE", "/actuator/ddp/no-such-session").statusCode()).isEqualTo(404);
	}

	@Test
	void healthHasTheServerAndEveryClientUnderDdp() throws Exception {
		try (RawDdpClient client = connect()) {
			JsonNode ddp = get("/actuator/health/ddp");
			assertThat(ddp.path("status").asString()).isEqualTo("UP");
			JsonNode server = ddp.path("components").path("server");
			assertThat(server.path("status").asString()).isEqualTo("UP");
			assertThat(server.path("details").path("accepting").asBoolean()).isTrue();
			assertThat(server.path("details").path("sessions").asInt()).isGreaterThanOrEqualTo(1);
			JsonNode upstream = ddp.path("components").path("clients").path("components").path("upstream");
			assertThat(upstream.path("status").asString()).isEqualTo("UP");
			assertThat(upstream.path("details").path("sessionId").asString()).isEqualTo("upstream-session");
			assertThat(get("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
		}
	}

	@Test
	void aFailedClientTakesTheReadinessGroupDown() throws Exception {
		ScriptedDdpConnection failing = Clients.FAILING;
		try {
			failing.failed("retries exhausted");
			HttpResponse<String> readiness = send("GET", "/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			HttpResponse<String> flaky = send("GET", "/actuator/health/ddp/clients/flaky");
			assertThat(RawDdpClient.json(flaky.body()).path("status").asString()).isEqualTo("DOWN");
			assertThat(RawDdpClient.json(flaky.body()).path("details").path("lastFailure").asString())
				.isEqualTo("retries exhausted");
		}
		finally {
			failing.connected("flaky-session");
		}
		assertThat(send("GET", "/actuator/health/readiness").statusCode()).isEqualTo(200);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Clients {

		static final ScriptedDdpConnection FAILING = new ScriptedDdpConnection("flaky");

		@Bean
		ScriptedDdpConnection upstream() {
			ScriptedDdpConnection connection = new ScriptedDdpConnection("upstream");
			connection.connected("upstream-session");
			connection.counts(0, 3);
			return connection;
		}

		@Bean
		ScriptedDdpConnection flaky() {
			FAILING.connected("flaky-session");
			return FAILING;
		}

	}

}
