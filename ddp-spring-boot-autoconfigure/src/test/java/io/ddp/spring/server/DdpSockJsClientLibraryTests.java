package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SockJS iframe page loads the sockjs-client named by
 * {@code ddp.server.sockjs.client-library-url} instead of Spring's CDN default. Spring
 * serves that page only without an origin check, hence the empty origin patterns.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.server.allowed-origin-patterns=",
				"ddp.server.sockjs.client-library-url=/assets/sockjs-1.6.1.min.js" })
class DdpSockJsClientLibraryTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Test
	void iframePageLoadsTheConfiguredClientLibrary() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sockjs/iframe.html")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("<script src=\"/assets/sockjs-1.6.1.min.js\"></script>")
			.doesNotContain("cdn.jsdelivr.net");
		// Spring Security is on the classpath: the page may be framed by its own origin
		// (the iframe transports), through the DDP chain Spring Boot's default chain
		// leaves the endpoints to.
		assertThat(response.headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
	}

}
