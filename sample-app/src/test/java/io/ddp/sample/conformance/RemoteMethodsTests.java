package io.ddp.sample.conformance;

import java.util.List;
import java.util.Map;

import io.ddp.sample.FixedFreePort;
import io.ddp.sample.SampleApplication;
import io.ddp.spring.server.method.DdpMethodCaller;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's {@code remote.*} methods with the default {@code remote} connection:
 * the app calls its own DDP endpoint over a real WebSocket on loopback.
 *
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("conformance")
class RemoteMethodsTests {

	@Autowired
	DdpMethodCaller caller;

	@DynamicPropertySource
	static void freePort(DynamicPropertyRegistry registry) {
		FixedFreePort.register(registry);
	}

	@Test
	void remoteEchoCallsEchoOnTheRemoteConnection() {
		assertThat(this.caller.call("remote.echo", "a", 1, Map.of("b", true)))
			.isEqualTo(List.of("a", 1, Map.of("b", true)));
		assertThat(this.caller.call("remote.echo")).isEqualTo(List.of());
	}

	@Test
	void remoteStatusIsMeteorsStatusShape() {
		this.caller.call("remote.echo", "connect first");
		@SuppressWarnings("unchecked")
		Map<String, Object> status = (Map<String, Object>) this.caller.call("remote.status");
		assertThat(status).containsEntry("status", "connected")
			.containsEntry("connected", true)
			.containsEntry("retryCount", 0)
			.doesNotContainKeys("retryTime", "reason");
	}

}
