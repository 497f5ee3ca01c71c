package io.ddp.spring.autoconfigure.client;

import java.util.List;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lazy connection to the application itself with {@code server.port=0}: its URL names
 * {@code ${local.server.port}}, which exists only once the server started, so the URL is
 * resolved at first use rather than when the bean is created.
 */
@SpringBootTest(classes = DdpClientRoundTripTests.RoundTripApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.client.connections.self.url=ws://localhost:${local.server.port}/websocket",
				"ddp.client.connections.self.lazy=true", "ddp.client.connections.self.call-timeout=10s" })
class DdpClientLazySelfConnectionTests {

	@Autowired
	@DdpClient("self")
	DdpConnection self;

	@LocalServerPort
	int port;

	@Test
	void theFirstCallResolvesTheUrlAndMakesARealRoundTrip() {
		assertThat(this.port).isPositive();
		assertThat(this.self.status().state()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(this.self.sessionId()).isNull();
		assertThat(this.self.call("echo", "a", 1)).isEqualTo(List.of("a", 1));
		assertThat(this.self.status().connected()).isTrue();
		assertThat(this.self.toString()).contains("ws://localhost:" + this.port + "/websocket");
	}

}
