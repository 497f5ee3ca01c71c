package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publications over real WebSocket connections: {@code sub}, {@code unsub}, {@code nosub}
 * and {@code ready} (ddp-protocol.md 4.2 to 4.5) and the user-change rerun (4.9).
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "test.universal-publication=true")
class DdpPublicationTests {

	@LocalServerPort
	int port;

	@Autowired
	ProtocolTestApplication.TestPublications publications;

	/** Connect and swallow the universal publication's document. */
	private RawDdpClient connect() {
		RawDdpClient client = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
		assertThat(client.next()).isEqualTo(
				json("{\"msg\":\"added\",\"collection\":\"universal\",\"id\":\"u\",\"fields\":{\"hello\":\"world\"}}"));
		return client;
	}

	@Test
	void universalPublicationsStartAfterConnectedAndNeverSendReady() throws InterruptedException {
		try (RawDdpClient client = connect()) {
			client.expectSilence(Duration.ofMillis(300));
		}
	}

	@Test
	void subscriptionSendsItsDocumentsThenReady() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"docs\",\"params\":[2]}");
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"added\",\"collection\":\"docs\",\"id\":\"d0\",\"fields\":{\"n\":0}}"));
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"added\",\"collection\":\"docs\",\"id\":\"d1\",\"fields\":{\"n\":1}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s1\"]}"));
		}
	}

	@Test
	void publicationThatNeverCallsReadyIsNeverReady() throws InterruptedException {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"q\",\"name\":\"neverReady\",\"params\":[]}");
			assertThat(client.next().get("msg").asString()).isEqualTo("added");
			client.expectSilence(Duration.ofMillis(300));
		}
	}

	@Test
	void unsubWithdrawsDocumentsRunsOnStopThenNosub() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"gone\",\"name\":\"docs\",\"params\":[1]}");
			client.next((f) -> "ready".equals(f.path("msg").asString()));
			client.send("{\"msg\":\"unsub\",\"id\":\"gone\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"removed\",\"collection\":\"docs\",\"id\":\"d0\"}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"gone\"}"));
			assertThat(this.publications.stopped).contains("gone");
			client.send("{\"msg\":\"unsub\",\"id\":\"gone\"}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"gone\"}"));
		}
	}

	@Test
	void secondSubWithALiveIdIsIgnoredButAnUnknownNameIsStill404() throws InterruptedException {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"dup\",\"name\":\"docs\",\"params\":[1]}");
			client.next((f) -> "ready".equals(f.path("msg").asString()));
			client.send("{\"msg\":\"sub\",\"id\":\"dup\",\"name\":\"docs\",\"params\":[1]}");
			client.expectSilence(Duration.ofMillis(300));
			client.send("{\"msg\":\"sub\",\"id\":\"dup\",\"name\":\"missing\",\"params\":[]}");
			assertThat(client.next().get("error").get("reason").asString())
				.isEqualTo("Subscription 'missing' not found");
			// The original subscription keeps running: unsub still withdraws its
			// document.
			client.send("{\"msg\":\"unsub\",\"id\":\"dup\"}");
			assertThat(client.next().get("msg").asString()).isEqualTo("removed");
		}
	}

	@Test
	void publicationErrorsAreSanitizedLikeMethodErrors() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"e1\",\"name\":\"fails\",\"params\":[]}");
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"e1\",\"error\":{\"isClientSafe\":true,"
						+ "\"error\":\"nope\",\"reason\":\"Publication refused\",\"details\":{\"why\":\"test\"},"
						+ "\"message\":\"Publication refused [nope]\",\"errorType\":\"Meteor.Error\"}}"));
			client.send("{\"msg\":\"sub\",\"id\":\"e2\",\"name\":\"failsInternally\",\"params\":[]}");
			assertThat(client.next().get("error").get("error").asInt()).isEqualTo(500);
			client.send("{\"msg\":\"sub\",\"id\":\"e3\",\"name\":\"returnsValue\",\"params\":[]}");
			assertThat(client.next().get("error").get("reason").asString()).isEqualTo("Internal server error");
			client.send("{\"msg\":\"sub\",\"id\":\"e4\",\"name\":\"docs\",\"params\":[\"x\"]}");
			assertThat(client.next().get("error").get("reason").asString()).isEqualTo("Match failed");
		}
	}

	@Test
	void documentIdsAreEscapedLikeMeteor() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"ids\",\"name\":\"escapedIds\",\"params\":[]}");
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				ids.add(client.next().get("id").asString());
			}
			assertThat(ids).containsExactly("--dash", "~42", "-507f1f77bcf86cd799439011");
		}
	}

	@Test
	void changedWithNullClearsTheField() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"cl\",\"name\":\"clearing\",\"params\":[]}");
			assertThat(client.next()).isEqualTo(json(
					"{\"msg\":\"added\",\"collection\":\"clear\",\"id\":\"c\",\"fields\":{\"keep\":1,\"drop\":2}}"));
			JsonNode changed = client.next();
			assertThat(changed.get("fields")).isEqualTo(json("{\"keep\":3}"));
			assertThat(changed.get("cleared")).isEqualTo(json("[\"drop\"]"));
		}
	}

	@Test
	void publishingFromAnotherThreadReachesTheClient() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"t\",\"name\":\"fromAnotherThread\",\"params\":[]}");
			assertThat(client.next((f) -> "changed".equals(f.path("msg").asString())).get("fields"))
				.isEqualTo(json("{\"v\":2}"));
		}
	}

	@Test
	void unblockedPublicationLetsTheNextMessageRun() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"slow\",\"name\":\"slowUnblocked\",\"params\":[]}");
			client.send("{\"msg\":\"method\",\"id\":\"m\",\"method\":\"echo\",\"params\":[1]}");
			List<String> order = new ArrayList<>();
			while (order.size() < 2) {
				JsonNode frame = client.next();
				String msg = frame.get("msg").asString();
				if (msg.equals("result") || msg.equals("ready")) {
					order.add(msg);
				}
			}
			assertThat(order).containsExactly("result", "ready");
		}
	}

	@Test
	void userChangeRerunsSubscriptionsAndSendsTheDifferenceBeforeTheResult() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"p\",\"name\":\"perUser\",\"params\":[]}");
			assertThat(client.next().get("fields")).isEqualTo(json("{\"user\":\"null\"}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"p\"]}"));
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"setUser\",\"params\":[\"ann\"]}");
			assertThat(client.next()).isEqualTo(
					json("{\"msg\":\"changed\",\"collection\":\"me\",\"id\":\"me\",\"fields\":{\"user\":\"ann\"}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"p\"]}"));
			List<JsonNode> rest = List.of(client.next(), client.next());
			assertThat(rest).extracting((f) -> f.get("msg").asString()).containsExactlyInAnyOrder("updated", "result");
		}
	}

	@Test
	void closingTheSessionStopsItsSubscriptions() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"closing\",\"name\":\"docs\",\"params\":[1]}");
			client.next((f) -> "ready".equals(f.path("msg").asString()));
		}
		await().untilAsserted(() -> assertThat(this.publications.stopped).contains("closing"));
	}

}
