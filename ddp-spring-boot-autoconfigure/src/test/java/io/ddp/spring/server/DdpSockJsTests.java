package io.ddp.spring.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DDP over SockJS with Meteor's URL scheme and settings (ddp-protocol.md 1.1, 1.3): the
 * info probe, the SockJS WebSocket transport, XHR polling and XHR streaming.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpSockJsTests {

	private static final String CONNECT = "{\\\"msg\\\":\\\"connect\\\",\\\"version\\\":\\\"1\\\",\\\"support\\\":[\\\"1\\\"]}";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	private String base() {
		return "http://127.0.0.1:" + this.port + "/sockjs";
	}

	@Test
	void infoAnswersLikeMeteor() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base() + "/info")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode info = json(response.body());
		assertThat(info.get("websocket").asBoolean()).isTrue();
		assertThat(info.get("cookie_needed").asBoolean()).isFalse();
		assertThat(info.get("origins")).isEqualTo(json("[\"*:*\"]"));
		assertThat(info.get("entropy").isIntegralNumber()).isTrue();
		assertThat(info.get("entropy").asLong()).isBetween(0L, 0xFFFFFFFFL);
		assertThat(response.headers().firstValue("Cache-Control"))
			.hasValueSatisfying((value) -> assertThat(value).contains("no-store"));
	}

	@Test
	void infoEntropyIsAnUnsignedThirtyTwoBitNumberEveryTime() throws Exception {
		for (int i = 0; i < 20; i++) {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base() + "/info")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(json(response.body()).get("entropy").asLong()).isBetween(0L, 0xFFFFFFFFL);
		}
	}

	@Test
	void plainHttpOnTheWebSocketPathIsNotAValidWebSocketRequest() throws Exception {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/websocket")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).isEqualTo("Not a valid websocket request");
	}

	@Test
	void brokenXhrSendBodiesAreAnsweredLikeSockJsNode() throws Exception {
		String session = base() + "/321/brokenjs";
		assertThat(post(session + "/xhr", null)).isEqualTo("o\n");
		HttpResponse<String> broken = this.http.send(HttpRequest.newBuilder(URI.create(session + "/xhr_send"))
			.POST(HttpRequest.BodyPublishers.ofString("[\"unterminated"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(broken.statusCode()).isEqualTo(500);
		assertThat(broken.body()).isEqualTo("Broken JSON encoding.");
		HttpResponse<String> empty = this.http.send(HttpRequest.newBuilder(URI.create(session + "/xhr_send"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(empty.statusCode()).isEqualTo(500);
		assertThat(empty.body()).isEqualTo("Payload expected.");
	}

	@Test
	void sockJsWebSocketCarriesDdpInArrayFrames() {
		URI uri = URI.create("ws://127.0.0.1:" + this.port + "/sockjs/123/abcdefgh/websocket");
		try (RawDdpClient client = RawDdpClient.open(uri)) {
			assertThat(client.nextText()).isEqualTo("o");
			client.send("[\"" + CONNECT + "\"]");
			JsonNode connected = json(json(client.nextText().substring(1)).get(0).asString());
			assertThat(connected.get("msg").asString()).isEqualTo("connected");
			client.send(
					"[\"{\\\"msg\\\":\\\"method\\\",\\\"id\\\":\\\"1\\\",\\\"method\\\":\\\"echo\\\",\\\"params\\\":[1]}\"]");
			StringBuilder received = new StringBuilder();
			while (!received.toString().contains("\\\"result\\\"")) {
				received.append(client.nextText());
			}
			assertThat(received.toString())
				.contains("{\\\"msg\\\":\\\"result\\\",\\\"id\\\":\\\"1\\\",\\\"result\\\":[1]}");
		}
	}

	@Test
	void sockJsRawWebSocketAliasServesPlainDdp() {
		try (RawDdpClient client = RawDdpClient
			.connected(URI.create("ws://127.0.0.1:" + this.port + "/sockjs/websocket"))) {
			assertThat(client.call("1", "echo", "[\"raw\"]").get("result")).isEqualTo(json("[\"raw\"]"));
		}
	}

	@Test
	void xhrPollingTransportCarriesDdp() throws Exception {
		String session = base() + "/456/pollpoll";
		assertThat(post(session + "/xhr", null)).isEqualTo("o\n");
		assertThat(statusOf(session + "/xhr_send", "[\"" + CONNECT + "\"]")).isEqualTo(204);
		String frames = post(session + "/xhr", null);
		assertThat(frames).startsWith("a[").contains("connected");
		assertThat(statusOf(session + "/xhr_send",
				"[\"{\\\"msg\\\":\\\"method\\\",\\\"id\\\":\\\"9\\\",\\\"method\\\":\\\"echo\\\",\\\"params\\\":[\\\"polled\\\"]}\"]"))
			.isEqualTo(204);
		StringBuilder replies = new StringBuilder();
		while (!replies.toString().contains("\\\"result\\\"")) {
			replies.append(post(session + "/xhr", null));
		}
		assertThat(replies.toString()).contains("polled");
	}

	@Test
	void xhrStreamingTransportCarriesDdp() throws Exception {
		String session = base() + "/789/streamst";
		HttpRequest request = HttpRequest.newBuilder(URI.create(session + "/xhr_streaming"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<java.util.stream.Stream<String>> response = this.http.send(request,
				HttpResponse.BodyHandlers.ofLines());
		java.util.Iterator<String> lines = response.body().iterator();
		// The first chunk is SockJS's 2 KiB prelude of 'h' characters, then the open
		// frame.
		assertThat(lines.next()).matches("h+");
		assertThat(lines.next()).isEqualTo("o");
		assertThat(statusOf(session + "/xhr_send", "[\"" + CONNECT + "\"]")).isEqualTo(204);
		assertThat(lines.next()).startsWith("a[").contains("connected");
	}

	private String post(String url, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(10))
			.POST((body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).body();
	}

	private int statusOf(String url, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", "text/plain")
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

}
