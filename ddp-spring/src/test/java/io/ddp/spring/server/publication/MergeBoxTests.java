package io.ddp.spring.server.publication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link MergeBox} with {@link PublicationStrategy#SERVER_MERGE}, the merge box
 * of section 4.7 of the protocol reference.
 */
class MergeBoxTests {

	private final RecordingOutput output = new RecordingOutput();

	private final MergeBox box = new MergeBox(this.output);

	private final SubscriptionHandle a = SubscriptionHandle.named("a");

	private final SubscriptionHandle b = SubscriptionHandle.named("b");

	private final SubscriptionHandle c = SubscriptionHandle.universal("c");

	static Map<String, @Nullable Object> fields(@Nullable Object... namesAndValues) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return fields;
	}

	@Test
	void workedExampleOfTheProtocolReference() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", 2));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2}");
		this.box.added(this.b, "c", "d1", fields("y", 3, "z", 4));
		assertThat(this.output.take()).containsExactly("changed c d1 {z=4}");
		this.box.removed(this.a, "c", "d1");
		assertThat(this.output.take()).containsExactly("changed c d1 {y=3} cleared [x]");
		this.box.removed(this.b, "c", "d1");
		assertThat(this.output.take()).containsExactly("removed c d1");
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void workedExampleWithSharedSnapshotsSendsTheSameMessages() {
		this.box.addedShared(this.a, "c", "d1", DocumentSnapshot.of(fields("x", 1, "y", 2)));
		this.box.addedShared(this.b, "c", "d1", DocumentSnapshot.of(fields("y", 3, "z", 4)));
		this.box.removed(this.a, "c", "d1");
		this.box.removed(this.b, "c", "d1");
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2}", "changed c d1 {z=4}",
				"changed c d1 {y=3} cleared [x]", "removed c d1");
	}

	@Test
	void addedWithoutFieldsSendsAnEmptyAdded() {
		this.box.added(this.a, "c", "d1", fields());
		assertThat(this.output.take()).containsExactly("added c d1 {}");
	}

	@Test
	void resettingAFieldToTheVisibleValueSendsNothing() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 2));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("x", 1));
		this.box.changed(this.b, "c", "d1", fields("x", 1));
		assertThat(this.output.take()).isEmpty();
	}

	@Test
	void aFieldPublishedByALaterSubscriptionWaitsUntilTheFirstClearsIt() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}");
		this.box.added(this.b, "c", "d1", fields("x", 2));
		assertThat(this.output.take()).isEmpty();
		this.box.changed(this.b, "c", "d1", fields("x", 3));
		assertThat(this.output.take()).isEmpty();
		this.box.changed(this.a, "c", "d1", fields("x", MergeBox.UNDEFINED));
		assertThat(this.output.take()).containsExactly("changed c d1 {x=3}");
		assertThat(this.box.fields("c", "d1")).containsExactly(Map.entry("x", 3));
	}

	@Test
	void threeSubscriptionsClearingAFieldClearItOnceWhenTheLastOneDoes() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 1));
		this.box.added(this.c, "c", "d1", fields("x", 1));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("x", MergeBox.UNDEFINED));
		this.box.changed(this.b, "c", "d1", fields("x", MergeBox.UNDEFINED));
		assertThat(this.output.take()).isEmpty();
		this.box.changed(this.c, "c", "d1", fields("x", MergeBox.UNDEFINED));
		assertThat(this.output.take()).containsExactly("changed c d1 cleared [x]");
	}

	@Test
	void clearingAFieldThatIsNotThereSendsNothing() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("y", MergeBox.UNDEFINED));
		assertThat(this.output.take()).isEmpty();
	}

	@Test
	void nullIsAValueAndUndefinedRemovesTheField() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", 2));
		this.box.changed(this.a, "c", "d1", fields("x", null));
		this.box.changed(this.a, "c", "d1", fields("y", MergeBox.UNDEFINED));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2}", "changed c d1 {x=null}",
				"changed c d1 cleared [y]");
		assertThat(this.box.fields("c", "d1")).hasToString("{x=null}");
	}

	@Test
	void changedWithValuesAndClearsSendsOneMessage() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", 2));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("x", MergeBox.UNDEFINED, "y", 3, "z", 4));
		assertThat(this.output.take()).containsExactly("changed c d1 {y=3, z=4} cleared [x]");
	}

	@Test
	void idAmongTheFieldsIsIgnored() {
		this.box.added(this.a, "c", "d1", fields("_id", "d1", "x", 1));
		this.box.changed(this.a, "c", "d1", fields("_id", "other"));
		this.box.changed(this.a, "c", "d1", fields("_id", MergeBox.UNDEFINED));
		this.box.addedShared(this.b, "c", "d1", DocumentSnapshot.of(fields("_id", "d1", "y", 1)));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}", "changed c d1 {y=1}");
	}

	@Test
	void undefinedFieldsOfAddedAreLeftOut() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", MergeBox.UNDEFINED));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}");
	}

	@Test
	void valuesAreCopiedOnEntry() {
		List<Object> list = new ArrayList<>(List.of(1, 2));
		Map<String, @Nullable Object> nested = fields("n", list);
		Map<String, @Nullable Object> added = fields("x", nested, "d", new Date(5));
		this.box.added(this.a, "c", "d1", added);
		list.add(3);
		nested.put("m", 1);
		((Date) added.get("d")).setTime(6);
		added.put("x", 7);
		List<Object> changedList = new ArrayList<>(List.of("a"));
		this.box.changed(this.a, "c", "d1", fields("y", changedList));
		changedList.add("b");
		assertThat(this.box.fields("c", "d1")).hasToString("{x={n=[1, 2]}, d=" + new Date(5) + ", y=[a]}");
		this.output.take();
		// The box still compares against its own copies
		this.box.changed(this.a, "c", "d1", fields("x", fields("n", List.of(1, 2)), "y", List.of("a")));
		assertThat(this.output.take()).isEmpty();
	}

	@Test
	void ejsonEqualValuesSendNoChange() {
		Instant instant = Instant.ofEpochMilli(1700000000123L);
		this.box.added(this.a, "c", "d1", fields("when", instant, "doc", fields("a", 1, "b", fields("c", 2)), "n", 1,
				"bytes", new byte[] { 1, 2 }));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("when", Date.from(instant), "doc",
				fields("b", fields("c", 2), "a", 1L), "n", 1.0, "bytes", new byte[] { 1, 2 }));
		assertThat(this.output.take()).isEmpty();
		this.box.changed(this.a, "c", "d1", fields("when", Instant.ofEpochMilli(1700000000124L)));
		assertThat(this.output.take()).hasSize(1);
	}

	@Test
	void ejsonEqualValuesFromAnotherSubscriptionChangeNothingWhenTheyTakeOver() {
		this.box.added(this.a, "c", "d1", fields("doc", fields("a", 1, "b", 2)));
		this.box.added(this.b, "c", "d1", fields("doc", fields("b", 2, "a", 1)));
		this.output.take();
		this.box.removed(this.a, "c", "d1");
		assertThat(this.output.take()).isEmpty();
	}

	@Test
	void noEmptyChangedIsSent() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 1));
		this.box.changed(this.b, "c", "d1", fields());
		this.box.removed(this.b, "c", "d1");
		this.box.changedShared(this.a, "c", "d1", DocumentSnapshot.of(fields("x", 1)));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}");
	}

	@Test
	void collectionViewsAreDroppedWhenEmpty() {
		this.box.added(this.a, "one", "d1", fields());
		this.box.added(this.a, "two", "d1", fields());
		assertThat(this.box.collections()).containsExactlyInAnyOrder("one", "two");
		this.box.removed(this.a, "one", "d1");
		assertThat(this.box.collections()).containsExactly("two");
		assertThat(this.box.documentIds("one")).isEmpty();
		this.box.removeSubscription(this.a);
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void changedForADocumentTheSubscriptionDoesNotPublishFails() {
		assertThatIllegalStateException().isThrownBy(() -> this.box.changed(this.a, "c", "d1", fields("x", 1)))
			.withMessage("Could not find element with id d1 to change");
		this.box.added(this.b, "c", "d1", fields("x", 1));
		assertThatIllegalStateException().isThrownBy(() -> this.box.changed(this.a, "c", "d1", fields("x", 2)))
			.withMessage("Could not find element with id d1 to change");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.box.changedShared(this.a, "c", "d1", DocumentSnapshot.EMPTY))
			.withMessage("Could not find element with id d1 to change");
		assertThat(this.box.fields("c", "d1")).containsExactly(Map.entry("x", 1));
	}

	@Test
	void removedForADocumentTheSubscriptionDoesNotPublishFails() {
		assertThatIllegalStateException().isThrownBy(() -> this.box.removed(this.a, "c", "d1"))
			.withMessage("Removed nonexistent document d1");
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.removed(this.a, "c", "d1");
		// meteor/meteor#944: removing twice
		assertThatIllegalStateException().isThrownBy(() -> this.box.removed(this.a, "c", "d1"))
			.withMessage("Removed nonexistent document d1");
		this.box.added(this.b, "c", "d1", fields("x", 1));
		assertThatIllegalStateException().isThrownBy(() -> this.box.removed(this.a, "c", "d1"))
			.withMessage("Removed nonexistent document d1");
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}", "removed c d1", "added c d1 {x=1}");
	}

	@Test
	void removeSubscriptionRemovesOrUncoversWhatItPublished() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.a, "c", "d2", fields("x", 1, "y", 1));
		this.box.added(this.a, "other", "d3", fields());
		this.box.added(this.b, "c", "d2", fields("x", 2));
		this.box.added(this.b, "c", "d4", fields());
		this.output.take();
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactlyInAnyOrder("removed c d1", "changed c d2 {x=2} cleared [y]",
				"removed other d3");
		assertThat(this.box.collections()).containsExactly("c");
		assertThat(this.box.documentIds("c")).containsExactlyInAnyOrder("d2", "d4");
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).isEmpty();
		this.box.removeSubscription(this.b);
		assertThat(this.output.take()).containsExactlyInAnyOrder("removed c d2", "removed c d4");
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void addedAgainBySameSubscriptionSetsTheGivenFields() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", 1));
		this.box.added(this.a, "c", "d1", fields("x", 2));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=1}", "changed c d1 {x=2}");
		this.box.added(this.b, "c", "d1", fields("z", 1));
		this.box.added(this.a, "c", "d1", fields("x", 3, "y", MergeBox.UNDEFINED));
		this.box.removed(this.a, "c", "d1");
		// No entries of a stay behind
		assertThat(this.output.take()).containsExactly("changed c d1 {z=1}", "changed c d1 {x=3}",
				"changed c d1 cleared [x, y]");
		assertThat(this.box.fields("c", "d1")).containsExactly(Map.entry("z", 1));
	}

	@Test
	void aDocumentLeftWithOnePublisherKeepsMergingCorrectly() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 2, "y", 2));
		this.box.removed(this.a, "c", "d1");
		this.box.changed(this.b, "c", "d1", fields("x", 3, "y", MergeBox.UNDEFINED));
		this.box.added(this.c, "c", "d1", fields("x", 4, "w", 4));
		this.box.removed(this.b, "c", "d1");
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}", "changed c d1 {y=2}", "changed c d1 {x=2}",
				"changed c d1 {x=3} cleared [y]", "changed c d1 {w=4}", "changed c d1 {x=4}");
		assertThat(this.box.fields("c", "d1")).containsExactly(Map.entry("x", 4), Map.entry("w", 4));
	}

	@Test
	void sharedSnapshotIsKeptByReferenceAndDiffedOnChange() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("x", 1, "y", 2, "z", 3));
		this.box.addedShared(this.a, "c", "d1", v1);
		this.box.changedShared(this.a, "c", "d1", v1.with(fields("x", 5, "z", MergeBox.UNDEFINED, "w", 0)));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2, z=3}",
				"changed c d1 {x=5, w=0} cleared [z]");
	}

	@Test
	void sharedAndPlainCallsMix() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("x", 1, "y", 2));
		this.box.addedShared(this.a, "c", "d1", v1);
		this.box.changed(this.a, "c", "d1", fields("x", 2));
		this.box.addedShared(this.b, "c", "d1", DocumentSnapshot.of(fields("x", 9, "z", 9)));
		this.box.changed(this.b, "c", "d1", fields("z", MergeBox.UNDEFINED));
		this.box.changedShared(this.b, "c", "d1", DocumentSnapshot.of(fields("x", 8, "z", 8)));
		this.box.removed(this.a, "c", "d1");
		this.box.changedShared(this.b, "c", "d1", DocumentSnapshot.of(fields("x", 8)));
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2}", "changed c d1 {x=2}",
				"changed c d1 {z=9}", "changed c d1 cleared [z]", "changed c d1 {z=8}",
				"changed c d1 {x=8} cleared [y]", "changed c d1 cleared [z]");
	}

	@Test
	void publisherOfASharedSnapshotThatStaysAloneIsBackToTheSharedSnapshot() {
		DocumentSnapshot shared = DocumentSnapshot.of(fields("x", 1));
		this.box.addedShared(this.a, "c", "d1", shared);
		this.box.added(this.b, "c", "d1", fields("y", 1));
		this.box.removed(this.b, "c", "d1");
		this.output.take();
		// After the other publisher left, the next version is diffed against the shared
		// one
		this.box.changedShared(this.a, "c", "d1", shared.with(fields("x", 2)));
		assertThat(this.output.take()).containsExactly("changed c d1 {x=2}");
	}

}
