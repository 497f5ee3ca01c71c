package io.ddp.spring.autoconfigure.client;

import java.util.List;

import io.ddp.spring.autoconfigure.client.services.GreetingClient;
import io.ddp.spring.autoconfigure.client.services.ServicesConfiguration;
import io.ddp.spring.client.CallOptions;
import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionFactory;
import io.ddp.spring.test.client.RecordingDdpConnection;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockReset;
import org.springframework.test.context.bean.override.mockito.MockitoBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verify;

/**
 * Proves that {@code @MockitoBean @DdpClient("name")} replaces one configured connection:
 * injection points and declarative clients of that name get the mock, the other
 * connection stays as configured.
 */
@SpringBootTest(classes = DdpClientMockitoBeanTests.TestApplication.class,
		properties = { "ddp.client.connections.remote.url=ws://remote.example/websocket",
				"ddp.client.connections.stock.url=ws://stock.example/websocket" })
class DdpClientMockitoBeanTests {

	// Not reset between tests, so the connect() from startup stays verifiable.
	@MockitoBean(reset = MockReset.NONE)
	@DdpClient("remote")
	DdpConnection remote;

	@Autowired
	@DdpClient("stock")
	DdpConnection stock;

	@Autowired
	Consumer consumer;

	@Autowired
	GreetingClient greetings;

	@Test
	void theMockReplacesTheConnectionOfThatName() {
		assertThat(this.consumer.remote).isSameAs(this.remote);
		assertThat(this.stock).isInstanceOf(RecordingDdpConnection.class);
		assertThat(this.consumer.stock).isSameAs(this.stock);
		// The lifecycle connected whatever bean the name resolves to: here the mock.
		verify(this.remote).connect();
		assertThat(((RecordingDdpConnection) this.stock).lifecycle()).containsExactly("connect");
	}

	@Test
	void declarativeClientsUseTheMock() {
		given(this.remote.apply(eq("greetings.hello"), eq(List.of("Ada")), any(CallOptions.class), eq(String.class)))
			.willReturn("Hello from the mock");
		assertThat(this.greetings.hello("Ada")).isEqualTo("Hello from the mock");
		assertThat(((RecordingDdpConnection) this.stock).invocations()).isEmpty();
	}

	static class Consumer {

		final DdpConnection remote;

		final DdpConnection stock;

		Consumer(@DdpClient("remote") DdpConnection remote, @DdpClient("stock") DdpConnection stock) {
			this.remote = remote;
			this.stock = stock;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ServicesConfiguration.class)
	static class TestApplication {

		@Bean
		DdpConnectionFactory recordingFactory() {
			return RecordingDdpConnection::new;
		}

		@Bean
		Consumer consumer(@DdpClient("remote") DdpConnection remote, @DdpClient("stock") DdpConnection stock) {
			return new Consumer(remote, stock);
		}

	}

}
