package io.ddp.spring.client;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ClientLogin}: which login a reconnect sends, and what a result or a
 * refusal does to the state.
 */
class ClientLoginTests {

	private static final URI URL = URI.create("ws://localhost/websocket");

	@Test
	void configuredPasswordIsSentOnceThenTheResumeToken() {
		ClientLogin login = new ClientLogin("test",
				DdpClientOptions.builder(URL).credentials("alice", "secret").build());
		ClientLogin.Request first = login.requestOnReconnect();
		assertThat(first).isNotNull();
		assertThat(first.resume()).isFalse();
		assertThat(first.params()).isEqualTo(ClientLogin.passwordRequest("alice", "secret"));
		login.reconnectLoginFinished(first, Map.of("id", "u1", "token", "t1"), null);
		assertThat(login.userId()).isEqualTo("u1");
		assertThat(login.requestOnReconnect()).isEqualTo(new ClientLogin.Request(Map.of("resume", "t1"), true));
	}

	@Test
	void refusedResumeTokenLogsTheClientOut() {
		ClientLogin login = new ClientLogin("test", DdpClientOptions.builder(URL).resumeToken("old").build());
		ClientLogin.Request request = login.requestOnReconnect();
		assertThat(request).isNotNull();
		login.reconnectLoginFinished(request, null, new IllegalStateException("You've been logged out"));
		assertThat(login.userId()).isNull();
		assertThat(login.requestOnReconnect()).isNull();
	}

	@Test
	void withoutCredentialsNothingIsSent() {
		assertThat(new ClientLogin("test", DdpClientOptions.builder(URL).build()).requestOnReconnect()).isNull();
	}

	@Test
	void resultWithoutIdAndTokenIsRefused() {
		ClientLogin login = new ClientLogin("test", DdpClientOptions.builder(URL).build());
		assertThatIllegalStateException().isThrownBy(() -> login.loggedIn(Map.of("id", "u1")))
			.withMessageContaining("Unexpected login result");
		assertThat(login.userId()).isNull();
	}

}
