package io.ddp.spring.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link CommitCounts}.
 */
class CommitCountsTests {

	@Test
	void eachCommitCountsInTheSizeClassOfItsWrites() {
		CommitCounts counts = new CommitCounts();
		for (int writes = 1; writes <= GroupCommit.MAX_GROUP; writes++) {
			counts.committed(writes);
		}
		assertThat(counts.count("1")).isEqualTo(1);
		assertThat(counts.count("2-3")).isEqualTo(2);
		assertThat(counts.count("4-7")).isEqualTo(4);
		assertThat(counts.count("8-15")).isEqualTo(8);
		assertThat(counts.count("16-31")).isEqualTo(16);
		assertThat(counts.count("32")).isEqualTo(1);
		assertThat(counts.total()).isEqualTo(GroupCommit.MAX_GROUP);
	}

	@Test
	void anUnknownSizeClassIsNamedWithTheKnownOnes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CommitCounts().count("5"))
			.withMessage("No group size '5': commits are counted by [1, 2-3, 4-7, 8-15, 16-31, 32]");
	}

}
