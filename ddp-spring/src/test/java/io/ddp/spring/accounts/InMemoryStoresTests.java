package io.ddp.spring.accounts;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InMemoryDdpLoginTokenStore}; the user store has
 * {@link InMemoryDdpUserStoreTests}.
 */
class InMemoryStoresTests {

	private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

	private final InMemoryDdpLoginTokenStore tokens = new InMemoryDdpLoginTokenStore();

	@Test
	void tokensAreHashedAsMeteorDoes() {
		// base64(SHA-256("valid-token")), computed independently.
		assertThat(DdpLoginTokenStore.hash("valid-token")).isEqualTo("OXoqnFv14szsOMJZa2grsb0F/m5OzqbBDPQnVf8iVAM=");
	}

	@Test
	void everyRemovalIsReportedToTheListeners() {
		List<String> removed = new CopyOnWriteArrayList<>();
		Runnable stop = this.tokens.onRemoved((token) -> removed.add(token.hashedToken()));
		this.tokens.add(new DdpLoginToken("a1", "a", NOW.minusSeconds(100)));
		this.tokens.add(new DdpLoginToken("a2", "a", NOW));
		this.tokens.add(new DdpLoginToken("a3", "a", NOW));
		this.tokens.add(new DdpLoginToken("b1", "b", NOW.minusSeconds(100)));
		assertThat(this.tokens.findByUser("a")).extracting(DdpLoginToken::hashedToken)
			.containsExactlyInAnyOrder("a1", "a2", "a3");
		assertThat(this.tokens.removeOthers("a", "a2")).isEqualTo(2);
		assertThat(removed).containsExactlyInAnyOrder("a1", "a3");
		assertThat(this.tokens.removeCreatedBefore(NOW)).isEqualTo(1);
		assertThat(removed).containsExactlyInAnyOrder("a1", "a3", "b1");
		assertThat(this.tokens.remove("a2")).isTrue();
		assertThat(this.tokens.remove("a2")).isFalse();
		assertThat(removed).hasSize(4);
		stop.run();
		this.tokens.add(new DdpLoginToken("c", "c", NOW));
		this.tokens.remove("c");
		assertThat(removed).hasSize(4);
	}

}
