package io.ddp.spring.collection;

import java.util.Map;

import io.ddp.spring.server.publication.DocumentSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RecentRecords}.
 */
class RecentRecordsTests {

	private final RecentRecords recent = new RecentRecords(2);

	@Test
	void keepsTheNewestVersionOfADocument() {
		this.recent.put(record("a", 5));
		this.recent.put(record("a", 3));
		assertThat(this.recent.get("a")).extracting(DocumentRecord::version).isEqualTo(5L);
		this.recent.put(record("a", 7));
		assertThat(this.recent.get("a")).extracting(DocumentRecord::version).isEqualTo(7L);
	}

	@Test
	void dropsTheDocumentWrittenLeastRecentlyBeyondItsCapacity() {
		this.recent.put(record("a", 1));
		this.recent.put(record("b", 2));
		this.recent.put(record("a", 3));
		this.recent.put(record("c", 4));
		assertThat(this.recent.get("b")).isNull();
		assertThat(this.recent.get("a")).isNotNull();
		assertThat(this.recent.get("c")).isNotNull();
		assertThat(this.recent.size()).isEqualTo(2);
	}

	@Test
	void forgetsAVersionWhenANewerWriteOrItsRemovalIsNoticed() {
		this.recent.put(record("a", 5));
		this.recent.noticed("a", 5, false);
		assertThat(this.recent.get("a")).isNotNull();
		this.recent.noticed("a", 6, false);
		assertThat(this.recent.get("a")).isNull();
		this.recent.put(record("b", 8));
		this.recent.noticed("b", 8, true);
		assertThat(this.recent.get("b")).isNull();
	}

	@Test
	void forgetsAStaleVersionUnlessANewerOneWasKeptSince() {
		DocumentRecord stale = record("a", 5);
		this.recent.put(stale);
		this.recent.put(record("a", 9));
		this.recent.removeStale(stale);
		assertThat(this.recent.get("a")).extracting(DocumentRecord::version).isEqualTo(9L);
		this.recent.removeStale(record("a", 9));
		assertThat(this.recent.get("a")).isNull();
	}

	@Test
	void aCapacityOfZeroKeepsNothingAndANegativeOneIsRefused() {
		RecentRecords none = new RecentRecords(0);
		none.put(record("a", 1));
		assertThat(none.get("a")).isNull();
		assertThat(none.size()).isZero();
		assertThatIllegalArgumentException().isThrownBy(() -> new RecentRecords(-1))
			.withMessage("The capacity must not be negative, was -1");
	}

	private static DocumentRecord record(String id, long version) {
		return new DocumentRecord(id, version, DocumentSnapshot.of(Map.of("n", version)));
	}

}
