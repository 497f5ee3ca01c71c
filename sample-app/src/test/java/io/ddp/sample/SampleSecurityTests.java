package io.ddp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.ddp.spring.test.tester.DdpTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's Spring Security setup: DDP clients need no HTTP login, the conformance
 * fixture's {@code adminOnly} needs role ADMIN, probes and the page at the root (built by
 * the module's {@code generate-resources}) stay open, the rest of the HTTP surface needs
 * a login.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("conformance")
class SampleSecurityTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	private DdpTester tester() {
		return DdpTester.forUrl("ws://127.0.0.1:" + this.port + "/websocket").build();
	}

	@Test
	void adminOnlyNeedsTheAdminRole() {
		DdpTester tester = tester();
		try (DdpTester.Connection anonymous = tester.connect()) {
			anonymous.call("adminOnly").error().hasCode(403).hasReason("Access denied");
		}
		try (DdpTester.Connection alice = tester.connect()) {
			alice.call("login", Map.of("user", Map.of("username", "alice"), "password", "secret"));
			alice.call("adminOnly").error().hasCode(403).hasReason("Access denied");
		}
		try (DdpTester.Connection root = tester.connect()) {
			root.call("login", Map.of("user", Map.of("username", "root"), "password", "rootpw"));
			root.call("adminOnly").result().isEqualTo("ok");
		}
	}

	@Test
	void probesAreOpenAndTheRestNeedsALogin() throws Exception {
		assertThat(get("/actuator/health").statusCode()).isIn(200, 503);
		assertThat(get("/actuator/ddp").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/metrics").statusCode()).isEqualTo(200);
		assertThat(get("/actuator/nothing-here").statusCode()).isEqualTo(401);
		HttpResponse<String> delete = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/ddp/some-session"))
				.DELETE()
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(delete.statusCode()).isIn(401, 403);
	}

	@Test
	void thePageAndItsAssetsNeedNoLogin() throws Exception {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<title>Todos", "assets/app.js", "assets/app.css");
		assertThat(get("/assets/app.js").statusCode()).isEqualTo(200);
		assertThat(get("/assets/app.css").statusCode()).isEqualTo(200);
		assertThat(get("/assets/not-there.js").statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
