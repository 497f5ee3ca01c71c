package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.ddp.spring.security.DdpSecurityConfigurer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own filter chain keeps full control: with the DDP rules applied but
 * CSRF protection kept on SockJS, the chain blocks SockJS's XHR transports while the raw
 * WebSocket endpoint stays open.
 */
@SpringBootTest(classes = DdpSecurityCsrfTests.CsrfKeptApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpSecurityCsrfTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void sockJsPostsWithoutACsrfTokenAreRefused() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/sockjs/123/keptcsrf/xhr"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void webSocketEndpointStaysOpen() {
		try (RawDdpClient client = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"))) {
			assertThat(client.call("1", "userId", "[]").get("result").asString()).isEqualTo("none");
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class CsrfKeptApplication {

		@Bean
		SecurityFilterChain applicationSecurity(HttpSecurity http) {
			http.with(DdpSecurityConfigurer.ddp().csrf(false), (ddp) -> {
			}).authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
			return http.build();
		}

		@Bean
		SecuredHandlers securedHandlers() {
			return new SecuredHandlers();
		}

	}

}
