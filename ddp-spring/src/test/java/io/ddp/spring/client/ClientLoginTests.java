package io.ddp.spring.client;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ClientLogin}: which login a reconnect sends, what a result or a
 * refusal does to the state, and which user id changes are reported.
 */
class ClientLoginTests {

	private static final URI URL = URI.create("ws://localhost/websocket");

	private final List<@Nullable String> changes = new ArrayList<>();

	@Test
	void configuredPasswordIsSentOnceThenTheResumeToken() {
		ClientLogin login = login(DdpClientOptions.builder(URL).credentials("alice", "secret").build());
		ClientLogin.Request first = login.requestOnReconnect();
		assertThat(first).isNotNull();
		assertThat(first.resume()).isFalse();
		assertThat(first.params()).isEqualTo(ClientLogin.passwordRequest("alice", "secret"));
		login.reconnectLoginFinished(first, Map.of("id", "u1", "token", "t1"), null);
		assertThat(login.userId()).isEqualTo("u1");
		assertThat(login.requestOnReconnect()).isEqualTo(new ClientLogin.Request(Map.of("resume", "t1"), true));
		assertThat(this.changes).containsExactly("u1");
	}

	@Test
	void refusedResumeTokenLogsTheClientOut() {
		ClientLogin login = login(DdpClientOptions.builder(URL).resumeToken("old").build());
		login.loggedIn(Map.of("id", "u1", "token", "old"));
		ClientLogin.Request request = login.requestOnReconnect();
		assertThat(request).isNotNull();
		login.reconnectLoginFinished(request, null, new IllegalStateException("You've been logged out"));
		assertThat(login.userId()).isNull();
		assertThat(login.requestOnReconnect()).isNull();
		assertThat(this.changes).containsExactly("u1", null);
	}

	@Test
	void onlyChangesAreReported() {
		ClientLogin login = login(DdpClientOptions.builder(URL).build());
		login.loggedIn(Map.of("id", "u1", "token", "t1"));
		login.loggedIn(Map.of("id", "u1", "token", "t2"));
		login.setUserId("u2");
		login.loggedOut();
		login.loggedOut();
		assertThat(this.changes).containsExactly("u1", "u2", null);
	}

	@Test
	void setUserIdKeepsTheResumeToken() {
		ClientLogin login = login(DdpClientOptions.builder(URL).build());
		login.loggedIn(Map.of("id", "u1", "token", "t1"));
		login.setUserId(null);
		assertThat(login.userId()).isNull();
		assertThat(login.requestOnReconnect()).isEqualTo(new ClientLogin.Request(Map.of("resume", "t1"), true));
	}

	@Test
	void withoutCredentialsNothingIsSent() {
		assertThat(login(DdpClientOptions.builder(URL).build()).requestOnReconnect()).isNull();
	}

	@Test
	void resultWithoutIdAndTokenIsRefused() {
		ClientLogin login = login(DdpClientOptions.builder(URL).build());
		assertThatIllegalStateException().isThrownBy(() -> login.loggedIn(Map.of("id", "u1")))
			.withMessageContaining("Unexpected login result");
		assertThat(login.userId()).isNull();
		assertThat(this.changes).isEmpty();
	}

	private ClientLogin login(DdpClientOptions options) {
		return new ClientLogin("test", options, this.changes::add);
	}

}
