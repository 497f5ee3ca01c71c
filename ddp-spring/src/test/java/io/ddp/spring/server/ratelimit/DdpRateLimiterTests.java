package io.ddp.spring.server.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.ddp.spring.protocol.DdpException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Meteor's rate limiter rules (ddp-protocol.md section 9) on a clock the test moves.
 */
class DdpRateLimiterTests {

	private final AtomicLong now = new AtomicLong(1_000_000);

	private final DdpRateLimiter limiter = new DdpRateLimiter(this.now::get);

	@Test
	void theRequestAfterTheLimitIsRejectedAndRejectedRequestsCount() {
		this.limiter.addRule(RateLimitMatcher.methods().name("limited").perConnection(), 3, Duration.ofSeconds(5));
		for (int i = 0; i < 3; i++) {
			assertThat(this.limiter.check(method("limited", "c1")).allowed()).isTrue();
		}
		this.now.addAndGet(1200);
		RateLimitResult fourth = this.limiter.check(method("limited", "c1"));
		assertThat(fourth.allowed()).isFalse();
		assertThat(fourth.timeToReset()).isEqualTo(3800);
		assertThat(this.limiter.check(method("limited", "c1")).allowed()).isFalse();
		assertThat(this.limiter.rules()).singleElement().satisfies((rule) -> {
			assertThat(rule.rejected()).isEqualTo(2);
			assertThat(rule.numRequests()).isEqualTo(3);
			assertThat(rule.matcher()).isEqualTo("{type=method, name='limited', connectionId=(predicate)}");
		});
	}

	@Test
	void eachConnectionHasItsOwnCountWhenTheRuleIsPerConnection() {
		this.limiter.addRule(RateLimitMatcher.methods().name("limited").perConnection(), 1, Duration.ofSeconds(5));
		assertThat(this.limiter.check(method("limited", "c1")).allowed()).isTrue();
		assertThat(this.limiter.check(method("limited", "c2")).allowed()).isTrue();
		assertThat(this.limiter.check(method("limited", "c1")).allowed()).isFalse();
	}

	@Test
	void withoutAConnectionKeyEveryConnectionSharesOneCount() {
		this.limiter.addRule(RateLimitMatcher.methods().name("limited"), 1, Duration.ofSeconds(5));
		assertThat(this.limiter.check(method("limited", "c1")).allowed()).isTrue();
		assertThat(this.limiter.check(method("limited", "c2")).allowed()).isFalse();
	}

	@Test
	void theWindowIsFixedAndItsEndClearsEveryCountOfTheRule() {
		this.limiter.addRule(RateLimitMatcher.any().perConnection(), 1, Duration.ofMillis(1000));
		assertThat(this.limiter.check(method("a", "c1")).allowed()).isTrue();
		assertThat(this.limiter.check(method("a", "c2")).allowed()).isTrue();
		this.now.addAndGet(1000);
		// Still in the window: Meteor resets only when more than the interval has passed.
		assertThat(this.limiter.check(method("a", "c1")).allowed()).isFalse();
		this.now.addAndGet(1);
		assertThat(this.limiter.check(method("a", "c1")).allowed()).isTrue();
		assertThat(this.limiter.check(method("a", "c2")).allowed()).isTrue();
		this.now.addAndGet(400);
		RateLimitResult rejected = this.limiter.check(method("a", "c2"));
		assertThat(rejected.allowed()).isFalse();
		assertThat(rejected.timeToReset()).isEqualTo(600);
	}

	@Test
	void literalsAndPredicatesMustAllMatch() {
		this.limiter.addRule(
				RateLimitMatcher.subscriptions()
					.name((name) -> name.startsWith("admin."))
					.userId("u1")
					.clientAddress((address) -> address != null && address.startsWith("10.")),
				0, Duration.ofSeconds(1));
		assertThat(check(RateLimitInput.Type.SUBSCRIPTION, "admin.users", "u1", "10.0.0.1").allowed()).isFalse();
		assertThat(check(RateLimitInput.Type.METHOD, "admin.users", "u1", "10.0.0.1").allowed()).isTrue();
		assertThat(check(RateLimitInput.Type.SUBSCRIPTION, "users", "u1", "10.0.0.1").allowed()).isTrue();
		assertThat(check(RateLimitInput.Type.SUBSCRIPTION, "admin.users", "u2", "10.0.0.1").allowed()).isTrue();
		assertThat(check(RateLimitInput.Type.SUBSCRIPTION, "admin.users", null, "10.0.0.1").allowed()).isTrue();
		assertThat(check(RateLimitInput.Type.SUBSCRIPTION, "admin.users", "u1", null).allowed()).isTrue();
	}

	@Test
	void theLongestFailingWindowDecidesTheTimeToReset() {
		this.limiter.addRule("short", RateLimitMatcher.any(), 0, Duration.ofSeconds(2));
		this.limiter.addRule("long", RateLimitMatcher.any(), 0, Duration.ofSeconds(10));
		this.limiter.addRule("loose", RateLimitMatcher.any(), 100, Duration.ofSeconds(60));
		RateLimitResult result = this.limiter.check(method("a", "c1"));
		assertThat(result.allowed()).isFalse();
		assertThat(result.timeToReset()).isEqualTo(10_000);
		assertThat(result.ruleId()).isEqualTo("long");
	}

	@Test
	void theErrorIsMeteorsTooManyRequestsWithTheSecondsRoundedUp() {
		this.limiter.addRule(RateLimitMatcher.any(), 0, Duration.ofMillis(4987));
		DdpException error = this.limiter.reject(method("a", "c1"));
		assertThat(error).isNotNull();
		assertThat(error.getError()).isEqualTo("too-many-requests");
		assertThat(error.getReason())
			.isEqualTo("Error, too many requests. Please slow down. You must wait 5 seconds before trying again.");
		assertThat(error.getDetails()).isEqualTo(Map.of("timeToReset", 4987L));
	}

	@Test
	void messagesCanBeSetForAllRulesAndPerRule() {
		String strict = this.limiter.addRule(RateLimitMatcher.methods().name("strict"), 0, Duration.ofSeconds(1));
		this.limiter.addRule(RateLimitMatcher.methods().name("other"), 0, Duration.ofSeconds(1));
		this.limiter.setErrorMessage((result) -> "slow down for " + result.timeToReset() + " ms");
		this.limiter.setErrorMessageOnRule(strict, "strict says no");
		assertThat(this.limiter.reject(method("strict", "c1")).getReason()).isEqualTo("strict says no");
		assertThat(this.limiter.reject(method("other", "c1")).getReason()).isEqualTo("slow down for 1000 ms");
		assertThatIllegalArgumentException().isThrownBy(() -> this.limiter.setErrorMessageOnRule("nope", "x"))
			.withMessageContaining("'nope'");
	}

	@Test
	void aRemovedRuleNoLongerCounts() {
		String id = this.limiter.addRule(RateLimitMatcher.any(), 0, Duration.ofSeconds(1));
		assertThat(id).hasSize(17);
		assertThat(this.limiter.check(method("a", "c1")).allowed()).isFalse();
		assertThat(this.limiter.removeRule(id)).isTrue();
		assertThat(this.limiter.removeRule(id)).isFalse();
		assertThat(this.limiter.check(method("a", "c1")).allowed()).isTrue();
		assertThat(this.limiter.reject(method("a", "c1"))).isNull();
	}

	@Test
	void badRulesAreRefusedWithTheReason() {
		this.limiter.addRule("login", RateLimitMatcher.any(), 5, Duration.ofSeconds(10));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.limiter.addRule("login", RateLimitMatcher.any(), 5, Duration.ofSeconds(10)))
			.withMessage("A rate limit rule with id 'login' exists already");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.limiter.addRule("x", RateLimitMatcher.any(), -1, Duration.ofSeconds(10)))
			.withMessageContaining("numRequests");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.limiter.addRule("y", RateLimitMatcher.any(), 1, Duration.ZERO))
			.withMessageContaining("interval");
	}

	@Test
	void rejectionListenersHearEveryRejection() {
		List<String> heard = new ArrayList<>();
		this.limiter.addRejectionListener((input, result) -> heard.add(input.name() + "/" + result.ruleId()));
		this.limiter.addRule("one", RateLimitMatcher.any(), 1, Duration.ofSeconds(1));
		this.limiter.check(method("a", "c1"));
		this.limiter.check(method("b", "c1"));
		this.limiter.check(method("c", "c1"));
		assertThat(heard).containsExactly("b/one", "c/one");
	}

	@Test
	void concurrentRequestsAreCountedExactly() throws InterruptedException {
		this.limiter.addRule(RateLimitMatcher.any(), 1000, Duration.ofHours(1));
		AtomicInteger allowed = new AtomicInteger();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 8; t++) {
			Thread thread = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int i = 0; i < 500; i++) {
					if (this.limiter.check(method("a", "c1")).allowed()) {
						allowed.incrementAndGet();
					}
				}
			});
			thread.start();
			threads.add(thread);
		}
		start.countDown();
		for (Thread thread : threads) {
			thread.join();
		}
		assertThat(allowed.get()).isEqualTo(1000);
		assertThat(this.limiter.rules().get(0).rejected()).isEqualTo(3000);
	}

	private static RateLimitInput method(String name, String connectionId) {
		return new RateLimitInput(RateLimitInput.Type.METHOD, name, null, connectionId, "127.0.0.1");
	}

	private RateLimitResult check(RateLimitInput.Type type, String name, String userId, String clientAddress) {
		return this.limiter.check(new RateLimitInput(type, name, userId, "c1", clientAddress));
	}

}
