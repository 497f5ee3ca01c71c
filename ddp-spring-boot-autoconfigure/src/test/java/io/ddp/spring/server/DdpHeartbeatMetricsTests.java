package io.ddp.spring.server;

import java.net.URI;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat-timeout counter, after a real client that stops answering pings.
 */
class DdpHeartbeatMetricsTests {

	@Test
	void aClientThatNeverAnswersPingsIsCountedAsAHeartbeatTimeout() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OpsTestApplication.class,
				SimpleMeterRegistry.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "ddp.server.heartbeat.interval=200ms",
					"ddp.server.heartbeat.timeout=200ms", "ddp.server.shutdown.close-period=0s")
			.run()) {
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(meters.get("ddp.server.heartbeat.timeouts").counter().count()).isZero();
			try (RawDdpClient silent = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + port + "/websocket"))) {
				assertThat(silent.next().path("msg").asString()).isEqualTo("ping");
				silent.awaitClose();
			}
			await().untilAsserted(
					() -> assertThat(meters.get("ddp.server.heartbeat.timeouts").counter().count()).isEqualTo(1));
			assertThat(meters.get("ddp.server.messages.sent").tag("type", "ping").counter().count())
				.isGreaterThanOrEqualTo(1);
		}
	}

}
