package io.ddp.spring.autoconfigure.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.service.DdpCall;
import io.ddp.spring.client.service.DdpService;
import io.ddp.spring.client.service.DdpSubscribe;
import io.ddp.spring.client.service.ImportDdpServices;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configured client against the DDP server of the same application, over a real
 * WebSocket on loopback: the connection bean connects at startup, {@code @DdpClient}
 * injection and a declarative client call methods and subscribe.
 *
 */
@SpringBootTest(classes = DdpClientRoundTripTests.RoundTripApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class DdpClientRoundTripTests {

	@Autowired
	@DdpClient("self")
	DdpConnection self;

	@Autowired
	SelfClient client;

	@DynamicPropertySource
	static void selfConnection(DynamicPropertyRegistry registry) {
		int port = TestSocketUtils.findAvailableTcpPort();
		registry.add("server.port", () -> port);
		registry.add("server.address", () -> "127.0.0.1");
		registry.add("ddp.client.connections.self.url", () -> "ws://127.0.0.1:" + port + "/websocket");
		registry.add("ddp.client.connections.self.call-timeout", () -> "10s");
	}

	@Test
	void theConnectionConnectsAtStartup() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.self.status().connected());
		assertThat(this.self.status().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.self.name()).isEqualTo("self");
	}

	@Test
	void injectedConnectionCallsTheServer() {
		assertThat(this.self.call("echo", "a", 1)).isEqualTo(List.of("a", 1));
	}

	@Test
	void declarativeClientCallsWithTypedResults() throws Exception {
		assertThat(this.client.points(2)).containsExactly(new Point(0, 0), new Point(1, 2));
		assertThat(this.client.pointsLater(1).get()).containsExactly(new Point(0, 0));
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> this.client.fail())
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo("nope"));
	}

	@Test
	void declarativeClientSubscribes() throws Exception {
		DdpSubscription subscription = this.client.items(3);
		subscription.ready().get();
		assertThat(this.self.collection("items", Item.class).size()).isEqualTo(3);
		subscription.stop();
	}

	record Point(int x, int y) {
	}

	record Item(String _id, int value) {
	}

	@DdpService(connection = "self")
	interface SelfClient {

		@DdpCall
		List<Point> points(int count);

		@DdpCall("points")
		CompletableFuture<List<Point>> pointsLater(int count);

		@DdpCall
		void fail();

		@DdpSubscribe
		DdpSubscription items(int count);

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@ImportDdpServices(types = SelfClient.class)
	static class RoundTripApplication {

		@Bean
		ServerSide serverSide() {
			return new ServerSide();
		}

	}

	static class ServerSide {

		@DdpMethod
		Object[] echo(Object... args) {
			return args;
		}

		@DdpMethod
		List<Point> points(int count) {
			return java.util.stream.IntStream.range(0, count).mapToObj((i) -> new Point(i, 2 * i)).toList();
		}

		@DdpMethod
		void fail() {
			throw new DdpException("nope", "Not today");
		}

		@DdpPublication
		void items(int count, ServerSubscription subscription) {
			for (int i = 0; i < count; i++) {
				subscription.added("items", "i" + i, java.util.Map.of("value", i));
			}
			subscription.ready();
		}

	}

}
