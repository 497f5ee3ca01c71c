package io.ddp.spring.server.publication;

import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link PublicationStrategy#NO_MERGE_MULTI}: membership is tracked, field
 * values are not.
 */
class NoMergeMultiStrategyTests {

	private final RecordingOutput output = new RecordingOutput();

	private final MergeBox box = new MergeBox(this.output, (collection) -> PublicationStrategy.NO_MERGE_MULTI);

	private final SubscriptionHandle a = SubscriptionHandle.named("a");

	private final SubscriptionHandle b = SubscriptionHandle.named("b");

	private final SubscriptionHandle c = SubscriptionHandle.universal("c");

	@Test
	void addedOfADocumentTheClientHasIsForwardedAsChangedWithAllFields() {
		this.box.added(this.a, "c", "d1", fields("_id", "d1", "x", 1, "y", 2));
		this.box.added(this.b, "c", "d1", fields("x", 1, "z", 3));
		this.box.added(this.c, "c", "d1", fields());
		assertThat(this.output.take()).containsExactly("added c d1 {_id=d1, x=1, y=2}", "changed c d1 {x=1, z=3}");
	}

	@Test
	void changedIsForwardedWithoutComparing() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 2));
		this.output.take();
		this.box.changed(this.a, "c", "d1", fields("x", 1));
		this.box.changed(this.b, "c", "d1", fields("x", 2, "y", MergeBox.UNDEFINED));
		this.box.changed(this.b, "c", "d1", fields());
		assertThat(this.output.take()).containsExactly("changed c d1 {x=1}", "changed c d1 {x=2} cleared [y]");
	}

	@Test
	void documentIsRemovedOnlyWhenTheLastPublisherRemovesIt() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("y", 1));
		this.box.added(this.c, "c", "d1", fields("z", 1));
		this.output.take();
		this.box.removed(this.b, "c", "d1");
		this.box.removed(this.a, "c", "d1");
		assertThat(this.output.take()).isEmpty();
		this.box.removed(this.c, "c", "d1");
		assertThat(this.output.take()).containsExactly("removed c d1");
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void stoppingASubscriptionRemovesOnlyWhatNoOtherPublishes() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.a, "c", "d2", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 1));
		this.output.take();
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactly("removed c d2");
		this.box.removeSubscription(this.b);
		assertThat(this.output.take()).containsExactly("removed c d1");
	}

	@Test
	void noFieldValuesAreKept() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.addedShared(this.b, "c", "d2", DocumentSnapshot.of(fields("x", 1)));
		assertThat(this.box.fields("c", "d1")).isEmpty();
		assertThat(this.box.fields("c", "d2")).isEmpty();
	}

	@Test
	void changesOfDocumentsTheSubscriptionDoesNotPublishFailAsWithServerMerge() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		assertThatIllegalStateException().isThrownBy(() -> this.box.changed(this.b, "c", "d1", fields("x", 1)))
			.withMessage("Could not find element with id d1 to change");
		assertThatIllegalStateException().isThrownBy(() -> this.box.removed(this.b, "c", "d1"))
			.withMessage("Removed nonexistent document d1");
		assertThatIllegalStateException().isThrownBy(() -> this.box.removed(this.b, "c", "d2"))
			.withMessage("Removed nonexistent document d2");
	}

	@Test
	void sharedSnapshotsAreForwardedWholeOrAsTheDifferenceToTheGivenPreviousVersion() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("x", 1, "y", 2));
		DocumentSnapshot v2 = v1.with(fields("y", MergeBox.UNDEFINED));
		this.box.addedShared(this.a, "c", "d1", v1);
		this.box.addedShared(this.b, "c", "d1", v1);
		this.box.changedShared(this.a, "c", "d1", v2);
		this.box.changedShared(this.a, "c", "d1", v1, v2);
		assertThat(this.output.take()).containsExactly("added c d1 {x=1, y=2}", "changed c d1 {x=1, y=2}",
				"changed c d1 {x=1}", "changed c d1 cleared [y]");
	}

}
