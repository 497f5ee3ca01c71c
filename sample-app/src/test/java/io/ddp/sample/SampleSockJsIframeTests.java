package io.ddp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SockJS's iframe page, which Spring serves only for same-origin connections: it loads
 * the sockjs-client the app serves itself ({@code ddp.server.sockjs.client-library-url},
 * the copy the page's build takes from npm, in {@code target/classes/static}), and only
 * this page may be framed, by the same origin. The browser test drives the iframe
 * transport itself.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.allowed-origin-patterns=")
class SampleSockJsIframeTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Test
	void iframePageLoadsTheAppsOwnSockJsClient() throws Exception {
		HttpResponse<String> iframe = get("/sockjs/iframe.html");
		assertThat(iframe.statusCode()).isEqualTo(200);
		assertThat(iframe.headers().allValues("X-Frame-Options")).containsExactly("SAMEORIGIN");
		assertThat(iframe.body()).contains("<script src=\"/assets/sockjs.min.js\"></script>");
		HttpResponse<String> library = get("/assets/sockjs.min.js");
		assertThat(library.statusCode()).isEqualTo(200);
		assertThat(library.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).contains("javascript"));
		assertThat(library.body()).startsWith("/* sockjs-client v1.");
	}

	@Test
	void everyOtherPageMayNotBeFramed() throws Exception {
		HttpResponse<String> page = get("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().allValues("X-Frame-Options")).containsExactly("DENY");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
