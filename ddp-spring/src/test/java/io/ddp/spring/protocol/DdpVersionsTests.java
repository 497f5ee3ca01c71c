package io.ddp.spring.protocol;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DdpVersions}: negotiation from both sides and the {@code pre1}
 * heartbeat rule.
 */
class DdpVersionsTests {

	@Test
	void serverPicksTheClientsFirstSharedVersion() {
		assertThat(DdpVersions.negotiate(List.of("2", "pre2", "1"))).isEqualTo("pre2");
		assertThat(DdpVersions.negotiate(List.of("1", "pre1"))).isEqualTo("1");
		assertThat(DdpVersions.negotiate(List.of("7"))).isEqualTo("1");
	}

	@Test
	void clientRetriesWithTheServersVersionOnlyIfItSupportsIt() {
		assertThat(DdpVersions.retryWith("pre1", DdpVersions.SUPPORTED)).isEqualTo("pre1");
		assertThat(DdpVersions.retryWith("pre1", List.of("1"))).isNull();
		assertThat(DdpVersions.retryWith(null, DdpVersions.SUPPORTED)).isNull();
	}

	@Test
	void onlyPre1HasNoHeartbeat() {
		assertThat(DdpVersions.hasHeartbeat("1")).isTrue();
		assertThat(DdpVersions.hasHeartbeat("pre2")).isTrue();
		assertThat(DdpVersions.hasHeartbeat("pre1")).isFalse();
	}

}
