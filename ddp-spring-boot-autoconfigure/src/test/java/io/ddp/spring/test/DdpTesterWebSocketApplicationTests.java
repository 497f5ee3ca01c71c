package io.ddp.spring.test;

import java.util.Map;

import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;
import io.ddp.spring.test.tester.DdpTester;
import io.ddp.spring.test.tester.SubscriptionSpec;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The auto-configured tester of a test that runs the server on a random port: a real
 * WebSocket to {@code ws://localhost:${local.server.port}/websocket}.
 */
@SpringBootTest(classes = TesterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.forwarded-count=1")
@AutoConfigureDdpTester
class DdpTesterWebSocketApplicationTests {

	@Autowired
	DdpTester tester;

	@Autowired
	DdpServer server;

	@LocalServerPort
	int port;

	@Test
	void callsGoOverAWebSocket() {
		assertThat(this.tester.call("connection").result().json().get("transport").asString()).isEqualTo("websocket");
	}

	@Test
	void resultsErrorsAndSubscriptions() {
		String id = this.tester.call("notes.add", "first").resultAs(String.class);
		this.tester.call("notes.get", id).result().isEqualToJson("{\"_id\":\"" + id + "\",\"text\":\"first\"}");
		this.tester.call("notes.get", "nope").error().hasCode(404).hasDetails(Map.of("id", "nope"));
		try (SubscriptionSpec notes = this.tester.subscribe("notes")) {
			notes.isReady().added("notes").containsIds(id);
			String second = this.tester.call("notes.add", "second").resultAs(String.class);
			notes.awaitAsserted((spec) -> spec.added("notes").containsIds(id, second));
		}
	}

	@Test
	void aUserIdLogsTheServersSessionIn() {
		DdpTester bob = this.tester.mutate().userId("bob").build();
		bob.call("whoami").result().isEqualTo("bob");
		try (SubscriptionSpec mine = bob.subscribe("mine")) {
			mine.isReady().added("me").hasFields("bob", Map.of("since", "now"));
		}
	}

	@Test
	void theClientAddressTravelsInXForwardedFor() {
		assertThat(this.tester.mutate()
			.clientAddress("10.0.0.1")
			.build()
			.call("connection")
			.result()
			.json()
			.get("address")
			.asString()).isEqualTo("10.0.0.1");
	}

	@Test
	void aTesterForAUrlNeedsTheServerToLogUsersIn() {
		String url = "ws://127.0.0.1:" + this.port + "/websocket";
		DdpTester.forUrl(url).build().call("whoami").result().isNull();
		assertThatIllegalStateException().isThrownBy(() -> DdpTester.forUrl(url).userId("carol").build())
			.withMessageContaining("needs the DdpServer");
		DdpTester.forUrl(url).server(this.server).userId("carol").build().call("whoami").result().isEqualTo("carol");
	}

}
