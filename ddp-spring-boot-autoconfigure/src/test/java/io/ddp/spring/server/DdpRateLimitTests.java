package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.ddp.spring.actuate.DdpEndpoint;
import io.ddp.spring.server.ratelimit.DdpRateLimitRule;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.ratelimit.RateLimitMatcher;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rate limits over real WebSocket connections (ddp-protocol.md section 9): rules from
 * properties and from a bean, Meteor's error for methods ({@code result}) and
 * subscriptions ({@code nosub}), per-connection counts, the rejection meter and the
 * {@code ddp} endpoint.
 */
@SpringBootTest(classes = ProtocolTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.server.rate-limit.rules.echo-per-connection.type=method",
				"ddp.server.rate-limit.rules.echo-per-connection.name=echo",
				"ddp.server.rate-limit.rules.echo-per-connection.connection-id=*",
				"ddp.server.rate-limit.rules.echo-per-connection.requests=3",
				"ddp.server.rate-limit.rules.echo-per-connection.interval=5s",
				"ddp.server.rate-limit.rules.whoami.name=whoami", "ddp.server.rate-limit.rules.whoami.requests=0",
				"ddp.server.rate-limit.rules.whoami.interval=1m",
				"ddp.server.rate-limit.rules.whoami.message=Nobody may ask that",
				"management.endpoints.web.exposure.include=ddp" })
@Import(DdpRateLimitTests.Rules.class)
class DdpRateLimitTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DdpEndpoint endpoint;

	@Autowired
	DdpRateLimiter limiter;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@Test
	void theFourthCallInTheWindowGetsMeteorsErrorAfterItsUpdatedAndOtherConnectionsGoOn() {
		// The rule's window is fixed and shared by every connection (Meteor's), so it can
		// end during the four calls and the fourth passes. A second try on new
		// connections
		// then starts in a window that has just begun.
		if (!fourthCallLimited()) {
			assertThat(fourthCallLimited()).as("the fourth call in a window that has just begun is limited").isTrue();
		}
		assertThat(this.meters.get("ddp.server.rate.limited")
			.tags("type", "method", "name", "echo", "rule", "echo-per-connection")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.endpoint.ddp().server().rateLimits())
			.filteredOn((rule) -> rule.id().equals("echo-per-connection"))
			.singleElement()
			.satisfies((rule) -> {
				assertThat(rule.rejected()).isEqualTo(1);
				assertThat(rule.numRequests()).isEqualTo(3);
				assertThat(rule.interval()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	// Three calls and a fourth on one connection; false when the fourth was not limited
	// (the window ended meanwhile).
	private boolean fourthCallLimited() {
		try (RawDdpClient client = connect(); RawDdpClient other = connect()) {
			for (int i = 1; i <= 3; i++) {
				assertThat(client.call("c" + i, "echo", "[" + i + "]").get("result")).isEqualTo(json("[" + i + "]"));
			}
			client.send("{\"msg\":\"method\",\"id\":\"c4\",\"method\":\"echo\",\"params\":[4]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"updated\",\"methods\":[\"c4\"]}"));
			JsonNode result = client.next();
			if (!result.has("error")) {
				assertThat(result.get("result")).isEqualTo(json("[4]"));
				return false;
			}
			JsonNode error = result.get("error");
			long timeToReset = error.get("details").get("timeToReset").asLong();
			assertThat(timeToReset).isBetween(1L, 5000L);
			// The window started with the rule (Meteor's fixed windows), so its rest
			// varies.
			String reason = "Error, too many requests. Please slow down. You must wait "
					+ (long) Math.ceil(timeToReset / 1000.0) + " seconds before trying again.";
			assertThat(result).isEqualTo(json("{\"msg\":\"result\",\"id\":\"c4\",\"error\":{\"isClientSafe\":true,"
					+ "\"error\":\"too-many-requests\",\"reason\":\"" + reason + "\",\"details\":{\"timeToReset\":"
					+ timeToReset + "},\"message\":\"" + reason
					+ " [too-many-requests]\",\"errorType\":\"Meteor.Error\"}}"));
			// Each connection counts on its own.
			assertThat(other.call("o1", "echo", "[\"still\"]").get("result")).isEqualTo(json("[\"still\"]"));
			// Other methods are not limited by this rule.
			assertThat(client.call("c5", "math/add.ints", "[2,3]").get("result").asInt()).isEqualTo(5);
			return true;
		}
	}

	@Test
	void aRejectedSubscriptionIsANosubWithTheErrorAndAResentIdCostsNothing() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"docs\",\"params\":[1]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			// A resent live id is ignored before the limiter sees it.
			client.send("{\"msg\":\"sub\",\"id\":\"s1\",\"name\":\"docs\",\"params\":[1]}");
			client.send("{\"msg\":\"sub\",\"id\":\"s2\",\"name\":\"docs\",\"params\":[1]}");
			client.next((frame) -> "ready".equals(frame.path("msg").asString()));
			client.send("{\"msg\":\"sub\",\"id\":\"s3\",\"name\":\"docs\",\"params\":[1]}");
			JsonNode nosub = client.next((frame) -> "nosub".equals(frame.path("msg").asString()));
			assertThat(nosub.get("id").asString()).isEqualTo("s3");
			assertThat(nosub.get("error").get("error").asString()).isEqualTo("too-many-requests");
			assertThat(nosub.get("error").get("details").get("timeToReset").asLong()).isBetween(1L, 60_000L);
			assertThat(nosub.get("error").get("reason").asString()).startsWith("Error, too many requests.");
			// The session goes on.
			assertThat(client.call("m1", "math/add.ints", "[1,1]").get("result").asInt()).isEqualTo(2);
		}
	}

	@Test
	void aRuleMessageFromPropertiesReplacesMeteorsAndRulesCanBeRemovedAtRunTime() {
		try (RawDdpClient client = connect()) {
			JsonNode error = client.call("w1", "whoami", "[]").get("error");
			assertThat(error.get("error").asString()).isEqualTo("too-many-requests");
			assertThat(error.get("reason").asString()).isEqualTo("Nobody may ask that");
			assertThat(this.limiter.removeRule("whoami")).isTrue();
			try {
				assertThat(client.call("w2", "whoami", "[]").has("error")).isFalse();
			}
			finally {
				this.limiter.addRule("whoami", RateLimitMatcher.any().name("whoami"), 0, Duration.ofMinutes(1));
				this.limiter.setErrorMessageOnRule("whoami", "Nobody may ask that");
			}
		}
	}

	@Test
	void rulesComeFromPropertiesAndBeans() {
		// Another test removes and adds 'whoami' again, so the order is not asserted;
		// accounts add Meteor's default rule.
		assertThat(this.limiter.rules()).extracting(DdpRateLimiter.RuleDescription::id)
			.containsExactlyInAnyOrder("echo-per-connection", "whoami", "docs-per-connection", "accounts-default");
		List<String> matchers = this.limiter.rules().stream().map(DdpRateLimiter.RuleDescription::matcher).toList();
		assertThat(matchers).contains("{type=method, name='echo', connectionId=(predicate)}");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Rules {

		@Bean
		DdpRateLimitRule docsPerConnection() {
			return new DdpRateLimitRule("docs-per-connection",
					RateLimitMatcher.subscriptions().name("docs").perConnection(), 2, Duration.ofMinutes(1), null);
		}

	}

}
