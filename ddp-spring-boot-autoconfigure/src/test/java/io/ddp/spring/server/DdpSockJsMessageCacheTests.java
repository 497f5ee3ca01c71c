package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SockJS polling client that stops polling while messages keep coming: past the message
 * cache (as large as the session's queue limit) its session is closed with a reason and
 * counted, never left to lose messages silently.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpInputLimitsTests.Blocking.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.limits.max-queued-messages-per-session=20")
class DdpSockJsMessageCacheTests {

	private static final String CONNECT = "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	DdpServer server;

	@Autowired
	MeterRegistry meters;

	@Test
	void aClientThatStopsPollingIsClosedAtTheCacheLimit() throws Exception {
		double before = closedWithFullCache();
		String base = "http://127.0.0.1:" + this.port + "/sockjs/000/cachefull";
		assertThat(post(base + "/xhr", "").body().trim()).isEqualTo("o");
		send(base, CONNECT);
		String connected = post(base + "/xhr", "").body().trim();
		String session = json(json(connected.substring(1)).get(0).asString()).get("session").asString();
		// Twice the cache's 20 messages, while no poll takes them.
		send(base, "{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"things\",\"params\":[\"a\",40]}");
		await().atMost(Duration.ofSeconds(10)).until(() -> closedWithFullCache() == before + 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.server.connections().stream().noneMatch((c) -> session.equals(c.id())));
		// The next poll learns that the session is gone.
		assertThat(post(base + "/xhr", "").body()).startsWith("c[");
	}

	@Test
	void aClientThatPollsGetsEveryMessage() throws Exception {
		double before = closedWithFullCache();
		String base = "http://127.0.0.1:" + this.port + "/sockjs/000/polling";
		assertThat(post(base + "/xhr", "").body().trim()).isEqualTo("o");
		send(base, CONNECT);
		assertThat(post(base + "/xhr", "").body()).contains("connected");
		send(base, "{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"things\",\"params\":[\"a\",15]}");
		StringBuilder received = new StringBuilder();
		while (!received.toString().contains("ready")) {
			received.append(post(base + "/xhr", "").body());
		}
		assertThat(received.toString().split("added", -1)).hasSize(16);
		assertThat(closedWithFullCache()).isEqualTo(before);
	}

	private void send(String base, String message) throws Exception {
		HttpResponse<String> response = post(base + "/xhr_send",
				"[" + RawDdpClient.JSON.writeValueAsString(message) + "]");
		assertThat(response.statusCode()).isEqualTo(204);
	}

	private HttpResponse<String> post(String uri, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(uri))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private double closedWithFullCache() {
		return this.meters.get("ddp.server.sessions.closed")
			.tag("reason", "sockjs-message-cache-full")
			.counter()
			.count();
	}

}
