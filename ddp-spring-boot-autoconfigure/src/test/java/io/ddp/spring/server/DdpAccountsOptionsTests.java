package io.ddp.spring.server;

import java.net.URI;
import java.util.List;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ddp.accounts.*} switches over real WebSocket connections: a short login
 * expiration swept away (closing the connection), client sign-ups, Meteor's specific
 * password errors, and no default rate limit nor user publication.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.accounts.login-expiration=3s", "ddp.accounts.token-sweep-interval=200ms",
				"ddp.accounts.client-account-creation=true", "ddp.accounts.ambiguous-error-messages=false",
				"ddp.accounts.default-rate-limit=false", "ddp.accounts.publish-current-user=false" })
@Import(AccountsFixtures.class)
class DdpAccountsOptionsTests {

	@LocalServerPort
	int port;

	@Autowired
	DdpAccounts accounts;

	@Autowired
	DdpRateLimiter limiter;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	private static String error(int code, String reason) {
		return "{\"isClientSafe\":true,\"error\":" + code + ",\"reason\":\"" + reason + "\",\"message\":\"" + reason
				+ " [" + code + "]\",\"errorType\":\"Meteor.Error\"}";
	}

	@Test
	void theSweepRemovesAnExpiredTokenAndClosesItsConnection() {
		try (RawDdpClient client = connect()) {
			JsonNode result = client.call("1", "login", "[{\"user\":{\"username\":\"alice\"},\"password\":\"secret\"}]")
				.get("result");
			assertThat(result.get("id").asString()).isEqualTo("alice-id");
			assertThat(client.awaitClose()).isEqualTo(1000);
			try (RawDdpClient again = connect()) {
				assertThat(again.call("1", "login", "[{\"resume\":\"" + result.get("token").asString() + "\"}]")
					.get("error")
					.get("reason")
					.asString()).isEqualTo("You've been logged out by the server. Please log in again.");
			}
		}
	}

	@Test
	void createUserSignsUpAndLogsInWithoutPublishingTheUser() {
		try (RawDdpClient client = connect()) {
			client
				.send("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"createUser\",\"params\":[{\"username\":\"carol\","
						+ "\"email\":\"carol@example.com\",\"password\":\"pw\",\"profile\":{\"color\":\"red\"}}]}");
			List<JsonNode> frames = List.of(client.next(), client.next());
			assertThat(frames).extracting((frame) -> frame.get("msg").asString())
				.containsExactlyInAnyOrder("result", "updated");
			JsonNode result = frames.stream()
				.filter((frame) -> frame.has("result"))
				.findFirst()
				.orElseThrow()
				.get("result");
			assertThat(result.propertyNames()).containsExactly("id", "token", "tokenExpires", "type");
			assertThat(result.get("type").asString()).isEqualTo("password");
			DdpUser carol = this.accounts.users().findByUsername("carol");
			assertThat(carol).isNotNull();
			assertThat(carol.id()).isEqualTo(result.get("id").asString()).hasSize(17);
			assertThat(carol.emails()).containsExactly("carol@example.com");
			assertThat(carol.profile()).containsEntry("color", "red");
			assertThat(carol.passwordHash()).startsWith("$2");
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).isEqualTo(carol.id());
			assertThat(client.call("3", "createUser", "[{\"username\":\"CAROL\",\"password\":\"pw\"}]").get("error"))
				.isEqualTo(json(error(403, "Username already exists.")));
			assertThat(client.call("4", "createUser", "[{\"email\":\"Carol@example.com\"}]").get("error"))
				.isEqualTo(json(error(403, "Email already exists.")));
			assertThat(client.call("5", "createUser", "[{\"password\":\"pw\"}]").get("error"))
				.isEqualTo(json(error(400, "Need to set a username or email")));
		}
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "login", "[{\"user\":{\"email\":\"carol@example.com\"},\"password\":\"pw\"}]")
				.get("result")
				.get("type")
				.asString()).isEqualTo("password");
		}
	}

	@Test
	void passwordErrorsSayWhatFailedAndNoDefaultRuleLimitsThem() {
		assertThat(this.limiter.rules()).extracting(DdpRateLimiter.RuleDescription::id)
			.doesNotContain(DdpAccounts.DEFAULT_RATE_LIMIT_RULE);
		try (RawDdpClient client = connect()) {
			for (int i = 0; i < 3; i++) {
				assertThat(client.call("a" + i, "login", "[{\"user\":{\"username\":\"alice\"},\"password\":\"x\"}]")
					.get("error")).isEqualTo(json(error(403, "Incorrect password")));
				assertThat(client.call("b" + i, "login", "[{\"user\":{\"username\":\"nobody\"},\"password\":\"x\"}]")
					.get("error")).isEqualTo(json(error(403, "User not found")));
				assertThat(client.call("c" + i, "login", "[{\"user\":{\"username\":\"nopass\"},\"password\":\"x\"}]")
					.get("error")).isEqualTo(json(error(403, "User has no password set")));
			}
		}
	}

}
