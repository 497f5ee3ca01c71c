package io.ddp.spring.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.ddp.spring.protocol.MeteorPasswords;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the programmatic API of {@link DdpAccounts}; the DDP methods are tested over
 * real sockets in the auto-configuration module.
 */
class DdpAccountsApiTests {

	private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

	// The lowest cost keeps these tests fast; the hash format is the same.
	private final BCryptPasswordEncoder encoder = new BCryptPasswordEncoder(4);

	private final DdpAccounts accounts = new DdpAccounts(new InMemoryDdpUserStore(), new InMemoryDdpLoginTokenStore(),
			this.encoder);

	@Test
	void passwordsAreStoredAsTheEncodersHashOfTheSha256HexDigest() {
		DdpUser user = this.accounts.newUser().username("ann").password("secret").roles("USER").create();
		assertThat(user.id()).hasSize(17);
		assertThat(user.roles()).containsExactly("USER");
		assertThat(this.encoder.matches("2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b",
				user.passwordHash()))
			.isTrue();
		this.accounts.setPassword(user.id(), "other");
		String hash = this.accounts.users().findById(user.id()).passwordHash();
		assertThat(this.encoder.matches(MeteorPasswords.digest("other"), hash)).isTrue();
		assertThat(this.encoder.matches(MeteorPasswords.digest("secret"), hash)).isFalse();
	}

	@Test
	void aKnownTokenIsStoredHashedAndExpiresWithTheLoginExpiration() {
		this.accounts.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
		this.accounts.setLoginExpiration(Duration.ofHours(1));
		this.accounts.newUser().id("token-user").profile(Map.of("a", 1)).create();
		DdpLoginToken token = this.accounts.addLoginToken("token-user", "valid-token");
		assertThat(token.hashedToken()).isEqualTo(DdpLoginTokenStore.hash("valid-token"));
		assertThat(this.accounts.tokens().findByHash("valid-token")).isNull();
		assertThat(this.accounts.expiration(token)).isEqualTo(NOW.plus(Duration.ofHours(1)));
		String issued = this.accounts.createLoginToken("token-user");
		assertThat(issued).hasSize(43);
		assertThat(this.accounts.removeExpiredTokens()).isZero();
		this.accounts.setClock(Clock.fixed(NOW.plus(Duration.ofHours(1)).plusMillis(1), ZoneOffset.UTC));
		assertThat(this.accounts.removeExpiredTokens()).isEqualTo(2);
		assertThat(this.accounts.tokens().findByUser("token-user")).isEmpty();
	}

	@Test
	void registeringNextToAnOwnLoginMethodNamesTheProperty() {
		DdpMethodRegistry methods = new DdpMethodRegistry();
		methods.register("login", (invocation, arguments) -> null);
		assertThatIllegalStateException().isThrownBy(() -> this.accounts.registerMethods(methods))
			.withMessageContaining("'login'")
			.withMessageContaining("ddp.accounts.enabled=false");
		assertThat(methods.names()).containsExactly("login");
	}

	@Test
	void theDefaultRateLimitIsMeteorsAndRemovable() {
		DdpRateLimiter limiter = new DdpRateLimiter();
		this.accounts.addDefaultRateLimit(limiter);
		assertThat(limiter.rules()).singleElement().satisfies((rule) -> {
			assertThat(rule.numRequests()).isEqualTo(5);
			assertThat(rule.interval()).isEqualTo(Duration.ofSeconds(10));
		});
		assertThat(this.accounts.removeDefaultRateLimit()).isTrue();
		assertThat(limiter.rules()).isEmpty();
		assertThat(this.accounts.removeDefaultRateLimit()).isFalse();
	}

}
