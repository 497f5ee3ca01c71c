package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DocumentSnapshot}, the shared field values of the merge box.
 */
class MergeBoxSnapshotTests {

	@Test
	void snapshotLeavesOutIdAndUndefinedFields() {
		DocumentSnapshot snapshot = DocumentSnapshot
			.of(fields("_id", "d1", "x", 1, "y", MergeBox.UNDEFINED, "z", null));
		assertThat(snapshot.asMap()).hasToString("{x=1, z=null}");
		assertThat(snapshot.size()).isEqualTo(2);
		assertThat(snapshot.containsKey("z")).isTrue();
		assertThat(snapshot.get("z")).isNull();
		assertThat(snapshot.containsKey("y")).isFalse();
		assertThat(DocumentSnapshot.of(fields("_id", "d1"))).isSameAs(DocumentSnapshot.EMPTY);
	}

	@Test
	void snapshotCopiesValues() {
		List<Object> list = new ArrayList<>(List.of(1));
		Map<String, @Nullable Object> source = fields("list", list);
		DocumentSnapshot snapshot = DocumentSnapshot.of(source);
		list.add(2);
		source.put("other", 1);
		assertThat(snapshot).hasToString("{list=[1]}");
	}

	@Test
	void mapViewIsReadOnly() {
		Map<String, @Nullable Object> map = DocumentSnapshot.of(fields("x", 1)).asMap();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.put("y", 2));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> map.remove("x"));
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> map.entrySet().iterator().next().setValue(2));
		assertThat(map).isEqualTo(Map.of("x", 1));
	}

	@Test
	void withSetsRemovesAndAppendsFieldsKeepingTheirOrder() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("a", 1, "b", 2, "c", 3));
		DocumentSnapshot v2 = v1
			.with(fields("b", MergeBox.UNDEFINED, "a", 5, "d", 4, "_id", "x", "e", MergeBox.UNDEFINED));
		assertThat(v2).hasToString("{a=5, c=3, d=4}");
		assertThat(v1).hasToString("{a=1, b=2, c=3}");
		assertThat(v1.with(Map.of())).isSameAs(v1);
		assertThat(v1.with(fields("e", MergeBox.UNDEFINED))).isSameAs(v1);
	}

	@Test
	void withCopiesValues() {
		List<Object> list = new ArrayList<>(List.of(1));
		DocumentSnapshot snapshot = DocumentSnapshot.EMPTY.with(fields("list", list));
		list.add(2);
		assertThat(snapshot).hasToString("{list=[1]}");
	}

	@Test
	void largeSnapshotsFindTheirFields() {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		for (int i = 0; i < 50; i++) {
			fields.put("f" + i, i);
		}
		DocumentSnapshot snapshot = DocumentSnapshot.of(fields);
		// Looked up concurrently, as sessions on different threads do
		assertThat(IntStream.range(0, 10_000).parallel().allMatch((i) -> snapshot.get("f" + (i % 50)).equals(i % 50)))
			.isTrue();
		assertThat(snapshot.containsKey("f50")).isFalse();
		DocumentSnapshot next = snapshot.with(fields("f7", "seven", "f49", MergeBox.UNDEFINED));
		assertThat(next.get("f7")).isEqualTo("seven");
		assertThat(next.get("f48")).isEqualTo(48);
		assertThat(next.containsKey("f49")).isFalse();
		assertThat(next.size()).isEqualTo(49);
	}

	@Test
	void diffListsChangedAndNewFieldsThenRemovedOnes() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("a", 1, "b", 2, "c", 3));
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		DocumentSnapshot.diff(v1, v1.with(fields("b", 5)), delta);
		assertThat(delta).hasToString("{b=5}");
		delta.clear();
		DocumentSnapshot.diff(v1, DocumentSnapshot.of(fields("d", 4, "c", 3L, "a", 0)), delta);
		assertThat(delta).hasToString("{d=4, a=0, b=undefined}");
		delta.clear();
		DocumentSnapshot.diff(v1, v1, delta);
		assertThat(delta).isEmpty();
	}

	@Test
	void strategiesHaveMeteorsSettings() {
		assertThat(PublicationStrategy.SERVER_MERGE.usesCollectionView()).isTrue();
		assertThat(PublicationStrategy.SERVER_MERGE.tracksDocuments()).isTrue();
		assertThat(PublicationStrategy.SERVER_MERGE.mergesFields()).isTrue();
		assertThat(PublicationStrategy.NO_MERGE_NO_HISTORY.usesCollectionView()).isFalse();
		assertThat(PublicationStrategy.NO_MERGE_NO_HISTORY.tracksDocuments()).isFalse();
		assertThat(PublicationStrategy.NO_MERGE.usesCollectionView()).isFalse();
		assertThat(PublicationStrategy.NO_MERGE.tracksDocuments()).isTrue();
		assertThat(PublicationStrategy.NO_MERGE_MULTI.usesCollectionView()).isTrue();
		assertThat(PublicationStrategy.NO_MERGE_MULTI.tracksDocuments()).isTrue();
		assertThat(PublicationStrategy.NO_MERGE_MULTI.mergesFields()).isFalse();
	}

	@Test
	void subscriptionHandlesAreSpelledLikeMeteorsAndCompareByIdentity() {
		SubscriptionHandle named = SubscriptionHandle.named("abc");
		assertThat(named).hasToString("Nabc");
		assertThat(named.kind()).isEqualTo(SubscriptionHandle.Kind.NAMED);
		assertThat(named.id()).isEqualTo("abc");
		assertThat(SubscriptionHandle.universal("xyz")).hasToString("Uxyz");
		assertThat(named).isNotEqualTo(SubscriptionHandle.named("abc"));
	}

}
