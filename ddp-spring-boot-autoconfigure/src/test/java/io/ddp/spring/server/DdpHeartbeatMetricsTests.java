package io.ddp.spring.server;

import java.net.URI;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ddp.spring.server.session.DdpSession;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat-timeout counter and the session's close line, after a real client that
 * stops answering pings.
 */
class DdpHeartbeatMetricsTests {

	@Test
	void aClientThatNeverAnswersPingsIsCountedAsAHeartbeatTimeout() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(OpsTestApplication.class,
				SimpleMeterRegistry.class)
			.properties("server.port=0", "spring.main.banner-mode=off", "ddp.server.heartbeat.interval=200ms",
					"ddp.server.heartbeat.timeout=200ms", "ddp.server.shutdown.close-period=0s")
			.run()) {
			// Attached once the context runs: starting it may reset the logging system
			ListAppender<ILoggingEvent> appender = new ListAppender<>();
			// Written from the server's threads while the test reads it
			appender.list = new CopyOnWriteArrayList<>();
			appender.start();
			Logger sessions = (Logger) LoggerFactory.getLogger(DdpSession.class);
			Level level = sessions.getLevel();
			sessions.setLevel(Level.DEBUG);
			sessions.addAppender(appender);
			try {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				int port = ((WebServerApplicationContext) context).getWebServer().getPort();
				assertThat(meters.get("ddp.server.heartbeat.timeouts").counter().count()).isZero();
				try (RawDdpClient silent = RawDdpClient
					.connected(URI.create("ws://127.0.0.1:" + port + "/websocket"))) {
					assertThat(silent.next().path("msg").asString()).isEqualTo("ping");
					silent.awaitClose();
				}
				await().untilAsserted(
						() -> assertThat(meters.get("ddp.server.heartbeat.timeouts").counter().count()).isEqualTo(1));
				assertThat(meters.get("ddp.server.messages.sent").tag("type", "ping").counter().count())
					.isGreaterThanOrEqualTo(1);
				// The session's close line says why
				await().untilAsserted(() -> assertThat(appender.list).map(ILoggingEvent::getFormattedMessage)
					.anySatisfy((message) -> assertThat(message).contains(" closed: closed by the server: heartbeat"
							+ " timed out (no message from the client within PT0.2S of a ping)")));
			}
			finally {
				sessions.detachAppender(appender);
				sessions.setLevel(level);
			}
		}
	}

}
