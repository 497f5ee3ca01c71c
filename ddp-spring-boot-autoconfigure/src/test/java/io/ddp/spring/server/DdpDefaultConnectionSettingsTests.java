package io.ddp.spring.server;

import java.net.URI;

import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default connection settings (issue 11): lean 1 KiB Tomcat buffers and room for
 * 20,000 connections, while the raw endpoint still takes messages up to 16 MiB, whole or
 * in parts, and sends replies that large.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpDefaultConnectionSettingsTests {

	// 16 MiB with room for the message around the argument.
	private static final int LARGEST_ARGUMENT = 16 * 1024 * 1024 - 200;

	@LocalServerPort
	int port;

	@Autowired
	WebServerApplicationContext context;

	private URI uri() {
		return URI.create("ws://127.0.0.1:" + this.port + "/websocket");
	}

	@Test
	void tomcatIsSetUpForManyLeanConnections() {
		Connector connector = ((TomcatWebServer) this.context.getWebServer()).getTomcat().getConnector();
		assertThat(String.valueOf(connector.getProperty("maxConnections"))).isEqualTo("20000");
		assertThat(String.valueOf(connector.getProperty("socket.appReadBufSize"))).isEqualTo("1024");
	}

	@Test
	void messageOf16MiBInOneFrameIsAssembledFromTheContainersSmallParts() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String big = "x".repeat(LARGEST_ARGUMENT);
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}");
			assertThat(client.next((f) -> "result".equals(f.path("msg").asString())).get("result").get(0).asString())
				.hasSize(LARGEST_ARGUMENT);
		}
	}

	@Test
	void messageOf16MiBInFragmentsIsAssembled() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String big = "y".repeat(LARGEST_ARGUMENT);
			client.sendInParts("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}",
					1024 * 1024);
			assertThat(client.next((f) -> "result".equals(f.path("msg").asString())).get("result").get(0).asString())
				.hasSize(LARGEST_ARGUMENT);
		}
	}

	@Test
	void messageOver16MiBClosesWith1009() {
		try (RawDdpClient client = RawDdpClient.connected(uri())) {
			String big = "z".repeat(16 * 1024 * 1024);
			client.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[\"" + big + "\"]}");
			assertThat(client.awaitClose()).isEqualTo(1009);
		}
	}

}
