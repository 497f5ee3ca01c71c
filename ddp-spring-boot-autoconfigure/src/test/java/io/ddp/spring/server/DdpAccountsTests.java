package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpLoginEvent;
import io.ddp.spring.accounts.DdpLoginFailureEvent;
import io.ddp.spring.accounts.DdpLoginToken;
import io.ddp.spring.accounts.DdpLoginTokenStore;
import io.ddp.spring.accounts.DdpLogoutEvent;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Meteor's accounts methods over real WebSocket connections (ddp-protocol.md sections 8
 * and 9.4): results and errors as exact frames, resume tokens, connections closed when
 * their token goes, the current user's publication, hooks, events and the default rate
 * limit.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AccountsFixtures.class)
class DdpAccountsTests {

	private static final String ALICE = "{\"user\":{\"username\":\"alice\"},\"password\":\"secret\"}";

	@LocalServerPort
	int port;

	@Autowired
	DdpAccounts accounts;

	@Autowired
	AccountsFixtures.Events events;

	@Autowired
	AccountsFixtures.CountingPasswordEncoder passwordEncoder;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	private static String error(Object code, String reason) {
		String error = (code instanceof String) ? "\"" + code + "\"" : String.valueOf(code);
		return "{\"isClientSafe\":true,\"error\":" + error + ",\"reason\":\"" + reason + "\",\"message\":\"" + reason
				+ " [" + code + "]\",\"errorType\":\"Meteor.Error\"}";
	}

	private JsonNode callOnce(String method, String paramsJson) {
		try (RawDdpClient client = connect()) {
			return client.call("1", method, paramsJson);
		}
	}

	@Test
	void passwordLoginAnswersMeteorsResultAfterTheUserDocumentAndTheRerunOfSubscriptions() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"p\",\"name\":\"perUser\",\"params\":[]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			long before = System.currentTimeMillis();
			client.send("{\"msg\":\"method\",\"id\":\"l\",\"method\":\"login\",\"params\":[" + ALICE + "]}");
			List<JsonNode> frames = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				frames.add(client.next());
			}
			long after = System.currentTimeMillis();
			assertThat(frames.subList(0, 3)).containsExactlyInAnyOrder(json(
					"{\"msg\":\"added\",\"collection\":\"users\",\"id\":\"alice-id\",\"fields\":{\"username\":\"alice\","
							+ "\"emails\":[{\"address\":\"alice@example.com\",\"verified\":false}],"
							+ "\"profile\":{\"name\":\"Alice\"}}}"),
					json("{\"msg\":\"changed\",\"collection\":\"me\",\"id\":\"me\",\"fields\":{\"user\":\"alice-id\"}}"),
					json("{\"msg\":\"ready\",\"subs\":[\"p\"]}"));
			JsonNode result = frames.subList(3, 5)
				.stream()
				.filter((frame) -> "result".equals(frame.get("msg").asString()))
				.findFirst()
				.orElseThrow()
				.get("result");
			assertThat(result.propertyNames()).containsExactly("id", "token", "tokenExpires", "type");
			assertThat(result.get("id").asString()).isEqualTo("alice-id");
			assertThat(result.get("type").asString()).isEqualTo("password");
			String token = result.get("token").asString();
			assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]{43}");
			long ninetyDays = Duration.ofDays(90).toMillis();
			assertThat(result.get("tokenExpires").get("$date").asLong()).isBetween(before + ninetyDays,
					after + ninetyDays);
			// Stored hashed, never as is.
			DdpLoginToken stored = this.accounts.tokens().findByHash(DdpLoginTokenStore.hash(token));
			assertThat(stored).isNotNull();
			assertThat(stored.userId()).isEqualTo("alice-id");
			assertThat(this.accounts.tokens().findByHash(token)).isNull();
			assertThat(client.call("w", "whoami", "[]").get("result").asString()).isEqualTo("alice-id");
		}
	}

	@Test
	void aMeteorClientsDigestAnEmailSelectorAndAnIdSelectorLogInToo() {
		String digest = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";
		assertThat(
				callOnce("login",
						"[{\"user\":{\"email\":\"alice@example.com\"},\"password\":{\"digest\":\"" + digest
								+ "\",\"algorithm\":\"sha-256\"}}]")
					.get("result")
					.get("id")
					.asString())
			.isEqualTo("alice-id");
		assertThat(callOnce("login", "[{\"user\":{\"id\":\"bob-id\"},\"password\":\"bobpw\"}]").get("result")
			.get("id")
			.asString()).isEqualTo("bob-id");
		// Case-insensitive when only one user matches.
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"BOB\"},\"password\":\"bobpw\"}]").get("result")
			.get("id")
			.asString()).isEqualTo("bob-id");
	}

	@Test
	void resumeReturnsThePresentedTokenWithItsExpiry() {
		JsonNode first = callOnce("login", "[" + ALICE + "]").get("result");
		String token = first.get("token").asString();
		try (RawDdpClient client = connect()) {
			JsonNode resumed = client.call("r", "login", "[{\"resume\":\"" + token + "\"}]");
			assertThat(resumed.get("result")).isEqualTo(json("{\"id\":\"alice-id\",\"token\":\"" + token
					+ "\",\"tokenExpires\":" + first.get("tokenExpires") + ",\"type\":\"resume\"}"));
			assertThat(client.call("w", "whoami", "[]").get("result").asString()).isEqualTo("alice-id");
		}
	}

	@Test
	void loginErrorsAreMeteorsWordForWord() {
		assertThat(callOnce("login", "[\"alice\"]").get("error")).isEqualTo(json(error(400, "Match failed")));
		assertThat(callOnce("login", "[]").get("error")).isEqualTo(json(error(400, "Match failed")));
		assertThat(callOnce("login", "[{}]").get("error"))
			.isEqualTo(json(error(400, "Unrecognized options for login request")));
		assertThat(callOnce("login", "[{\"resume\":\"no-such-token\"}]").get("error"))
			.isEqualTo(json(error(403, "You've been logged out by the server. Please log in again.")));
		assertThat(callOnce("login", "[{\"resume\":5}]").get("error")).isEqualTo(json(error(400, "Match failed")));
		this.accounts.tokens()
			.add(new DdpLoginToken(DdpLoginTokenStore.hash("old-token"), "alice-id",
					Instant.now().minus(Duration.ofDays(91))));
		assertThat(callOnce("login", "[{\"resume\":\"old-token\"}]").get("error"))
			.isEqualTo(json(error(403, "Your session has expired. Please log in again.")));
		String ambiguous = error(403, "Something went wrong. Please check your credentials.");
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"alice\"},\"password\":\"wrong\"}]").get("error"))
			.isEqualTo(json(ambiguous));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"nobody\"},\"password\":\"x\"}]").get("error"))
			.isEqualTo(json(ambiguous));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"nopass\"},\"password\":\"x\"}]").get("error"))
			.isEqualTo(json(ambiguous));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"alice\",\"id\":\"alice-id\"},\"password\":\"x\"}]")
			.get("error")).isEqualTo(json(error(400, "Match failed")));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"\"},\"password\":\"x\"}]").get("error"))
			.isEqualTo(json(error(400, "Match failed")));
		assertThat(callOnce("login",
				"[{\"user\":{\"username\":\"alice\"},\"password\":{\"digest\":\"abc\",\"algorithm\":\"sha-256\"}}]")
			.get("error")).isEqualTo(json(error(400, "Match failed")));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"alice\"},\"password\":\"secret\",\"extra\":1}]")
			.get("error")).isEqualTo(json(error(400, "Match failed")));
	}

	@Test
	void theOtherMethodsErrorsWhenAnonymous() {
		String notLoggedIn = "{\"isClientSafe\":true,\"error\":\"You are not logged in.\","
				+ "\"message\":\"[You are not logged in.]\",\"errorType\":\"Meteor.Error\"}";
		assertThat(callOnce("getNewToken", "[]").get("error")).isEqualTo(json(notLoggedIn));
		assertThat(callOnce("removeOtherTokens", "[]").get("error")).isEqualTo(json(notLoggedIn));
		// Meteor's logout of an anonymous connection just returns.
		assertThat(callOnce("logout", "[]")).isEqualTo(json("{\"msg\":\"result\",\"id\":\"1\"}"));
		assertThat(callOnce("createUser", "[{\"username\":\"eve\",\"password\":\"pw\"}]").get("error"))
			.isEqualTo(json(error(403, "Signups forbidden")));
		assertThat(this.accounts.users().findByUsername("eve")).isNull();
	}

	@Test
	void theUsersDocumentFollowsUpdatesOnEveryConnectionOfThatUserAndNoOther() {
		DdpUserStore users = this.accounts.users();
		DdpUser alice = users.findById("alice-id");
		assertThat(alice).isNotNull();
		try (RawDdpClient one = connect(); RawDdpClient two = connect(); RawDdpClient bob = connect()) {
			one.call("1", "login", "[" + ALICE + "]");
			two.call("1", "login", "[" + ALICE + "]");
			bob.call("1", "login", "[{\"user\":{\"username\":\"Bob\"},\"password\":\"bobpw\"}]");
			users.update(withProfile(alice, Map.of("name", "Alice B.", "city", "Oslo")));
			JsonNode renamed = json("{\"msg\":\"changed\",\"collection\":\"users\",\"id\":\"alice-id\","
					+ "\"fields\":{\"profile\":{\"name\":\"Alice B.\",\"city\":\"Oslo\"}}}");
			assertThat(one.next(DdpAccountsTests::isChanged)).isEqualTo(renamed);
			assertThat(two.next(DdpAccountsTests::isChanged)).isEqualTo(renamed);
			// a field the user no longer has is cleared
			users.update(withProfile(alice, Map.of()));
			JsonNode cleared = json("{\"msg\":\"changed\",\"collection\":\"users\",\"id\":\"alice-id\","
					+ "\"cleared\":[\"profile\"]}");
			assertThat(one.next(DdpAccountsTests::isChanged)).isEqualTo(cleared);
			assertThat(two.next(DdpAccountsTests::isChanged)).isEqualTo(cleared);
			// an update that changes nothing published (the password) sends nothing, and
			// Bob's connection saw none of it
			users.update(new DdpUser(alice.id(), alice.username(), alice.emails(), Map.of(), alice.roles(), "$2a$04$x",
					alice.createdAt()));
			List<JsonNode> ones = framesUntilResult(one, "whoami");
			assertThat(ones).noneMatch(DdpAccountsTests::isChanged);
			assertThat(ones.get(ones.size() - 1).get("result").asString()).isEqualTo("alice-id");
			List<JsonNode> bobs = framesUntilResult(bob, "whoami");
			assertThat(bobs).noneMatch(DdpAccountsTests::isChanged);
			assertThat(bobs.get(bobs.size() - 1).get("result").asString()).isEqualTo("bob-id");
		}
		finally {
			users.update(alice);
		}
	}

	private static DdpUser withProfile(DdpUser user, Map<String, Object> profile) {
		return new DdpUser(user.id(), user.username(), user.emails(), profile, user.roles(), user.passwordHash(),
				user.createdAt());
	}

	private static boolean isChanged(JsonNode frame) {
		return "changed".equals(frame.path("msg").asString());
	}

	/**
	 * Call a method and return every frame up to its result, the result last.
	 */
	private static List<JsonNode> framesUntilResult(RawDdpClient client, String method) {
		List<JsonNode> frames = new ArrayList<>();
		client.send("{\"msg\":\"method\",\"id\":\"m\",\"method\":\"" + method + "\",\"params\":[]}");
		client.next((frame) -> {
			frames.add(frame);
			return "result".equals(frame.path("msg").asString()) && "m".equals(frame.path("id").asString());
		});
		return frames;
	}

	@Test
	void logoutRemovesTheTokenClearsTheUserAndClosesNoOtherConnection() {
		try (RawDdpClient client = connect(); RawDdpClient other = connect()) {
			String token = client.call("1", "login", "[" + ALICE + "]").get("result").get("token").asString();
			other.call("1", "login", "[" + ALICE + "]");
			client.send("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"logout\",\"params\":[]}");
			// The user's document goes before the result.
			JsonNode removed = client.next((frame) -> "removed".equals(frame.path("msg").asString())
					|| "result".equals(frame.path("msg").asString()));
			assertThat(removed).isEqualTo(json("{\"msg\":\"removed\",\"collection\":\"users\",\"id\":\"alice-id\"}"));
			assertThat(client.call("3", "whoami", "[]").get("result").isNull()).isTrue();
			assertThat(this.accounts.tokens().findByHash(DdpLoginTokenStore.hash(token))).isNull();
			assertThat(
					client.call("4", "login", "[{\"resume\":\"" + token + "\"}]").get("error").get("reason").asString())
				.isEqualTo("You've been logged out by the server. Please log in again.");
			assertThat(other.call("2", "whoami", "[]").get("result").asString()).isEqualTo("alice-id");
			assertThat(client.isClosed()).isFalse();
			assertThat(other.isClosed()).isFalse();
		}
	}

	@Test
	void logoutOtherClientsClosesTheOtherConnectionAndKeepsThisOne() {
		try (RawDdpClient client = connect(); RawDdpClient other = connect()) {
			JsonNode first = client.call("1", "login", "[" + ALICE + "]").get("result");
			other.call("1", "login", "[" + ALICE + "]");
			// Meteor's logoutOtherClients: a new token with the old one's creation time,
			// then every other token removed.
			JsonNode renewed = client.call("2", "getNewToken", "[]").get("result");
			assertThat(renewed.propertyNames()).containsExactly("id", "token", "tokenExpires");
			assertThat(renewed.get("token").asString()).isNotEqualTo(first.get("token").asString()).hasSize(43);
			assertThat(renewed.get("tokenExpires")).isEqualTo(first.get("tokenExpires"));
			assertThat(client.call("3", "removeOtherTokens", "[]").has("error")).isFalse();
			assertThat(other.awaitClose()).isEqualTo(1000);
			assertThat(client.call("4", "whoami", "[]").get("result").asString()).isEqualTo("alice-id");
			assertThat(this.accounts.tokens().findByHash(DdpLoginTokenStore.hash(first.get("token").asString())))
				.isNull();
			try (RawDdpClient third = connect()) {
				assertThat(third.call("1", "login", "[{\"resume\":\"" + renewed.get("token").asString() + "\"}]")
					.get("result")
					.get("id")
					.asString()).isEqualTo("alice-id");
			}
		}
	}

	@Test
	void removingATokenFromTheServerClosesItsConnections() {
		try (RawDdpClient client = connect()) {
			String token = this.accounts.createLoginToken("bob-id");
			client.call("1", "login", "[{\"resume\":\"" + token + "\"}]");
			this.accounts.tokens().remove(DdpLoginTokenStore.hash(token));
			assertThat(client.awaitClose()).isEqualTo(1000);
		}
	}

	@Test
	void loginHandlerBeansAnswerTheirOwnOptionsAfterTheBuiltInOnes() {
		try (RawDdpClient client = connect()) {
			JsonNode result = client.call("1", "login", "[{\"code\":\"123456\"}]").get("result");
			assertThat(result.get("id").asString()).isEqualTo("bob-id");
			assertThat(result.get("type").asString()).isEqualTo("code");
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).isEqualTo("bob-id");
			assertThat(client.call("3", "login", "[{\"code\":\"000000\"}]").get("error"))
				.isEqualTo(json(error(403, "Invalid code")));
		}
	}

	@Test
	void validatorsVetoWithLoginForbiddenOrTheirOwnError() {
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"banned\"},\"password\":\"pw\"}]").get("error"))
			.isEqualTo(json(error(403, "Login forbidden")));
		assertThat(callOnce("login", "[{\"user\":{\"username\":\"locked\"},\"password\":\"pw\"}]").get("error"))
			.isEqualTo(json(error(403, "Account locked")));
		String token = this.accounts.createLoginToken("banned-id");
		assertThat(callOnce("login", "[{\"resume\":\"" + token + "\"}]").get("error"))
			.isEqualTo(json(error(403, "Login forbidden")));
	}

	@Test
	void loginFailureAndLogoutArePublishedAsApplicationEvents() {
		this.events.received.clear();
		try (RawDdpClient client = connect()) {
			client.call("1", "login", "[{\"user\":{\"username\":\"Bob\"},\"password\":\"nope\"}]");
			client.call("2", "login", "[{\"user\":{\"username\":\"Bob\"},\"password\":\"bobpw\"}]");
			client.call("3", "logout", "[]");
		}
		await().until(() -> this.events.received.size() >= 3);
		assertThat(this.events.received).hasSize(3);
		DdpLoginFailureEvent failure = (DdpLoginFailureEvent) this.events.received.get(0);
		assertThat(failure.getUserId()).isEqualTo("bob-id");
		assertThat(failure.getType()).isEqualTo("password");
		assertThat(failure.getError().getReason()).isEqualTo("Something went wrong. Please check your credentials.");
		DdpLoginEvent login = (DdpLoginEvent) this.events.received.get(1);
		assertThat(login.getUserId()).isEqualTo("bob-id");
		assertThat(login.getType()).isEqualTo("password");
		assertThat(login.getConnection().id()).isEqualTo(failure.getConnection().id());
		DdpLogoutEvent logout = (DdpLogoutEvent) this.events.received.get(2);
		assertThat(logout.getUserId()).isEqualTo("bob-id");
		assertThat(logout.getConnection().id()).isEqualTo(login.getConnection().id());
	}

	@Test
	void theSixthLoginInTenSecondsIsRateLimitedAndAnotherConnectionIsNot() {
		String wrong = "[{\"user\":{\"username\":\"alice\"},\"password\":\"wrong\"}]";
		// The rule's 10 s windows are fixed: if one ended during the six calls, the
		// sixth passes; a second try on a fresh connection cannot meet another end.
		for (int attempt = 1;; attempt++) {
			try (RawDdpClient client = connect(); RawDdpClient other = connect()) {
				for (int i = 1; i <= 5; i++) {
					assertThat(client.call("c" + i, "login", wrong).get("error").get("error").asInt()).isEqualTo(403);
				}
				JsonNode sixth = client.call("c6", "login", wrong).get("error");
				if (sixth.get("error").isNumber() && attempt == 1) {
					continue;
				}
				assertThat(sixth.get("error").asString()).isEqualTo("too-many-requests");
				assertThat(sixth.get("details").get("timeToReset").asLong()).isBetween(1L, 10_000L);
				// Other methods of the connection and other connections go on.
				assertThat(client.call("w", "whoami", "[]").has("error")).isFalse();
				assertThat(other.call("o", "login", "[" + ALICE + "]").get("result").get("id").asString())
					.isEqualTo("alice-id");
				return;
			}
		}
	}

	@Test
	void bruteForceFromOneConnectionIsCutOffWhileAnotherConnectionIsServedNormally() throws Exception {
		int attempts = 10_000;
		try (RawDdpClient attacker = connect(); RawDdpClient user = connect()) {
			int checksBefore = this.passwordEncoder.checks.get();
			long start = System.nanoTime();
			CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < attempts; i++) {
					attacker.send("{\"msg\":\"method\",\"id\":\"b" + i
							+ "\",\"method\":\"login\",\"params\":[{\"user\":{\"username\":\"alice\"},\"password\":\"guess"
							+ i + "\"}]}");
				}
			});
			// Meanwhile another connection logs in and calls a method.
			long loginStart = System.nanoTime();
			assertThat(user.call("1", "login", "[" + ALICE + "]").get("result").get("id").asString())
				.isEqualTo("alice-id");
			long callStart = System.nanoTime();
			assertThat(user.call("2", "whoami", "[]").get("result").asString()).isEqualTo("alice-id");
			long callEnd = System.nanoTime();
			assertThat(Duration.ofNanos(callStart - loginStart)).isLessThan(Duration.ofSeconds(3));
			assertThat(Duration.ofNanos(callEnd - callStart)).isLessThan(Duration.ofSeconds(1));
			sent.get();
			int forbidden = 0;
			int limited = 0;
			for (int results = 0; results < attempts;) {
				JsonNode frame = attacker.next();
				if (!"result".equals(frame.get("msg").asString())) {
					continue;
				}
				results++;
				JsonNode error = frame.get("error");
				if (error.get("error").isNumber()) {
					assertThat(error.get("error").asInt()).isEqualTo(403);
					forbidden++;
				}
				else {
					assertThat(error.get("error").asString()).isEqualTo("too-many-requests");
					limited++;
				}
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
			// Five in each 10 s window of the rule the burst touched.
			long windows = elapsed.toMillis() / 10_000 + 2;
			assertThat(forbidden).isBetween(5, (int) (5 * windows));
			assertThat(limited).isEqualTo(attempts - forbidden);
			// Rejected calls never reached the password check.
			assertThat(this.passwordEncoder.checks.get() - checksBefore).isEqualTo(forbidden + 1);
			assertThat(elapsed).isLessThan(Duration.ofSeconds(60));
		}
	}

}
