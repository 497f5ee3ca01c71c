package io.ddp.sample.client;

import java.net.URI;
import java.time.Duration;

import io.ddp.sample.SampleApplication;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client answers the server's heartbeat: with the server pinging after 200 ms of
 * silence and the client's own heartbeat off, an idle connection stays up because every
 * server {@code ping} gets its {@code pong}.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.server.heartbeat.interval=200ms", "ddp.server.heartbeat.timeout=300ms" })
@ActiveProfiles("conformance")
class ServerPingClientTests {

	@LocalServerPort
	private int port;

	@Test
	void serverPingsAreAnsweredSoAnIdleConnectionSurvives() throws Exception {
		try (TcpRelay relay = new TcpRelay("127.0.0.1", this.port);
				DefaultDdpConnection connection = new DefaultDdpConnection("pong",
						DdpClientOptions.builder(URI.create("ws://127.0.0.1:" + relay.port() + "/websocket"))
							.heartbeat(Duration.ZERO, Duration.ofSeconds(15))
							.build(),
						Ejson.createDefault())) {
			connection.connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connection.status().state() == ConnectionState.CONNECTED);
			String session = connection.sessionId();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> relay.serverMessages().contains("{\"msg\":\"ping\"}")
						&& relay.clientMessages().contains("{\"msg\":\"pong\"}"));
			assertThat(relay.accepted()).isEqualTo(1);
			assertThat(connection.sessionId()).isEqualTo(session);
			assertThat(connection.call("echoOne", "still here")).isEqualTo("still here");
		}
	}

}
