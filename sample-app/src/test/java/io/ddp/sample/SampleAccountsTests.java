package io.ddp.sample;

import java.util.Map;

import io.ddp.spring.test.tester.DdpTester;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default profile's user, the one the page's login form suggests, logs in over a real
 * WebSocket; a wrong password is refused as for any user.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleAccountsTests {

	@LocalServerPort
	int port;

	@Test
	void theDemoUserLogsIn() {
		DdpTester tester = DdpTester.forUrl("ws://127.0.0.1:" + this.port + "/websocket").build();
		try (DdpTester.Connection demo = tester.connect()) {
			demo.call("login", Map.of("user", Map.of("username", "demo"), "password", "demo"))
				.result()
				.satisfies((result) -> {
					assertThat(result.get("id").asString()).isEqualTo("demo-id");
					assertThat(result.get("token").asString()).hasSize(43);
				});
		}
		try (DdpTester.Connection wrong = tester.connect()) {
			wrong.call("login", Map.of("user", Map.of("username", "demo"), "password", "not-demo"))
				.error()
				.hasCode(403);
		}
	}

}
