package io.ddp.spring.test;

import java.util.Map;

import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.test.autoconfigure.AutoConfigureDdpTester;
import io.ddp.spring.test.tester.DdpTester;
import io.ddp.spring.test.tester.SubscriptionSpec;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured tester of a test without a server on a port: sessions opened on the
 * application's {@link DdpServer}, with no socket.
 */
@SpringBootTest(classes = TesterTestApplication.class)
@AutoConfigureDdpTester
class DdpTesterInProcessApplicationTests {

	@Autowired
	DdpTester tester;

	@Autowired
	DdpServer server;

	@Test
	void callsRunInProcess() {
		assertThat(this.tester.call("connection").result().json().get("transport").asString()).isEqualTo("in-process");
	}

	@Test
	void resultsErrorsAndSubscriptions() {
		String id = this.tester.call("notes.add", "first").resultAs(String.class);
		this.tester.call("notes.get", id).result().isEqualTo(new TesterTestApplication.Note(id, "first"));
		this.tester.call("notes.get", "nope").error().hasCode(404).hasReason("No such note");
		try (SubscriptionSpec notes = this.tester.subscribe("notes")) {
			notes.isReady().added("notes").containsIds(id);
			String second = this.tester.call("notes.add", "second").resultAs(String.class);
			notes.awaitAsserted((spec) -> spec.collection("notes").hasFields(second, Map.of("text", "second")));
		}
	}

	@Test
	void aUserIdLogsTheSessionIn() {
		DdpTester alice = this.tester.mutate().userId("alice").build();
		alice.call("whoami").result().isEqualTo("alice");
		try (SubscriptionSpec mine = alice.subscribe("mine")) {
			mine.isReady().collection("me").containsIds("alice");
		}
		try (SubscriptionSpec anonymous = this.tester.subscribe("mine")) {
			anonymous.nosub().hasError(401).hasReason("Log in first");
		}
	}

}
