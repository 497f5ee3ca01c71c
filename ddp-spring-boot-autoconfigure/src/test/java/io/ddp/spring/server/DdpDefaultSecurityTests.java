package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Security without a filter chain of the application's: Spring Boot's default
 * chain protects everything but the DDP endpoints, which stay reachable, accept basic
 * credentials as the connection's identity, and take SockJS's POSTs without a CSRF token.
 */
@SpringBootTest(classes = DdpDefaultSecurityTests.DefaultSecurityApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = { "spring.security.user.name=ada",
				"spring.security.user.password=pw", "spring.security.user.roles=ADMIN" })
class DdpDefaultSecurityTests {

	private static final String CONNECT = "{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}";

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	@Test
	void webSocketEndpointNeedsNoHttpAuthentication() {
		try (RawDdpClient client = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"))) {
			assertThat(client.call("1", "whoami", "[]").get("result").asString()).isEqualTo("anonymous");
		}
	}

	@Test
	void everythingElseKeepsSpringBootsDefaultProtection() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base() + "/anything")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
	}

	@Test
	void basicCredentialsOfTheHandshakeAreTheConnectionsIdentity() {
		String basic = Base64.getEncoder().encodeToString("ada:pw".getBytes(StandardCharsets.UTF_8));
		try (RawDdpClient client = RawDdpClient.open(URI.create("ws://127.0.0.1:" + this.port + "/websocket"),
				Map.of("Authorization", "Basic " + basic))) {
			client.send("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			assertThat(client.next().get("msg").asString()).isEqualTo("connected");
			assertThat(client.call("1", "userId", "[]").get("result").asString()).isEqualTo("ada");
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).contains("ROLE_ADMIN");
			assertThat(client.call("3", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
		}
	}

	@Test
	void sockJsXhrTransportsNeedNoCsrfToken() throws Exception {
		String session = base() + "/sockjs/123/defaultcsrf";
		HttpResponse<String> open = post(session + "/xhr", "");
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.body()).isEqualTo("o\n");
		assertThat(post(session + "/xhr_send", "[\"" + CONNECT + "\"]").statusCode()).isEqualTo(204);
		assertThat(post(session + "/xhr", "").body()).startsWith("a[").contains("connected");
	}

	private HttpResponse<String> post(String url, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity
	static class DefaultSecurityApplication {

		@Bean
		SecuredHandlers securedHandlers() {
			return new SecuredHandlers();
		}

	}

}
