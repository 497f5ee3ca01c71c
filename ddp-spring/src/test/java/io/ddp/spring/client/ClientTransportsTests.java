package io.ddp.spring.client;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ClientTransports}: a configuration that could never connect fails when
 * the connection is created.
 */
class ClientTransportsTests {

	@Test
	void headersTheJdkSetsItselfAreRefused() {
		DdpClientOptions options = DdpClientOptions.builder(URI.create("ws://localhost/websocket"))
			.header("Sec-WebSocket-Protocol", "x")
			.build();
		assertThatIllegalArgumentException().isThrownBy(() -> ClientTransports.select(options))
			.withMessageContaining("Header 'Sec-WebSocket-Protocol' cannot be set");
	}

	@Test
	void rawWebSocketIsTheDefault() {
		ClientTransports webSocket = ClientTransports
			.select(DdpClientOptions.builder(URI.create("ws://localhost/websocket")).build());
		// the factories are lambdas declared by the transport classes
		assertThat(webSocket.factory().getClass().getName()).startsWith(JdkWebSocketTransport.class.getName());
		webSocket.shutdown();
	}

}
