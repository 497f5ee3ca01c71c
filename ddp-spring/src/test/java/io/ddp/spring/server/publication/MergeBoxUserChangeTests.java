package io.ddp.spring.server.publication;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the user change of section 4.9: re-run subscriptions fill a new merge box
 * silently and the client gets the difference.
 */
class MergeBoxUserChangeTests {

	private final RecordingOutput output = new RecordingOutput();

	private final MergeBox box = new MergeBox(this.output, (collection) -> switch (collection) {
		case "multi" -> PublicationStrategy.NO_MERGE_MULTI;
		case "nomerge" -> PublicationStrategy.NO_MERGE;
		case "nohistory" -> PublicationStrategy.NO_MERGE_NO_HISTORY;
		default -> PublicationStrategy.SERVER_MERGE;
	});

	private final SubscriptionHandle a = SubscriptionHandle.named("a");

	private final SubscriptionHandle b = SubscriptionHandle.named("b");

	@Test
	void clientGetsTheDifferenceBetweenOldAndNewViews() {
		this.box.added(this.a, "c", "d1", fields("x", 1, "y", 1));
		this.box.added(this.a, "c", "d2", fields("x", 1));
		this.box.added(this.a, "gone", "d9", fields());
		this.box.addedShared(this.b, "c", "d4", DocumentSnapshot.of(fields("x", 1)));
		this.output.take();
		MergeBox next = this.box.startUserChange();
		SubscriptionHandle a2 = SubscriptionHandle.named("a");
		SubscriptionHandle b2 = SubscriptionHandle.named("b");
		next.added(a2, "c", "d1", fields("x", 1, "z", 3));
		next.added(a2, "c", "d3", fields("x", 1));
		next.added(a2, "new", "d5", fields("w", 1));
		next.addedShared(b2, "c", "d4", DocumentSnapshot.of(fields("x", 1)));
		next.changed(a2, "c", "d3", fields("x", 2));
		assertThat(this.output.take()).isEmpty();
		next.completeUserChange(this.box);
		assertThat(this.output.take()).containsExactlyInAnyOrder("changed c d1 {z=3} cleared [y]", "added c d3 {x=2}",
				"added new d5 {w=1}", "removed c d2", "removed gone d9");
		next.changed(a2, "c", "d1", fields("x", 5));
		assertThat(this.output.take()).containsExactly("changed c d1 {x=5}");
	}

	@Test
	void strategiesWithoutACollectionViewSendDuringTheRerun() {
		MergeBox next = this.box.startUserChange();
		next.added(this.a, "nomerge", "d1", fields("x", 1));
		next.added(this.a, "nohistory", "d2", fields("x", 1));
		assertThat(this.output.take()).containsExactly("added nomerge d1 {x=1}", "added nohistory d2 {x=1}");
		next.completeUserChange(this.box);
		assertThat(this.output.take()).isEmpty();
		next.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactly("removed nomerge d1");
	}

	@Test
	void subscriptionStoppedDuringTheRerunSendsNothingForCollectionViews() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.output.take();
		MergeBox next = this.box.startUserChange();
		next.added(this.b, "c", "d1", fields("x", 1));
		next.removeSubscription(this.b);
		assertThat(this.output.take()).isEmpty();
		next.completeUserChange(this.box);
		assertThat(this.output.take()).containsExactly("removed c d1");
	}

	@Test
	void noMergeMultiDocumentsThatAppearAreAddedWithTheirFields() {
		this.box.added(this.a, "multi", "d1", fields("x", 1));
		this.box.added(this.a, "multi", "d2", fields("x", 1));
		this.output.take();
		MergeBox next = this.box.startUserChange();
		SubscriptionHandle a2 = SubscriptionHandle.named("a");
		next.added(a2, "multi", "d1", fields("x", 1));
		next.added(a2, "multi", "d3", fields("y", 1));
		next.addedShared(this.b, "multi", "d4", DocumentSnapshot.of(fields("z", 1)));
		next.changed(a2, "multi", "d3", fields("y", 2));
		next.completeUserChange(this.box);
		// Meteor would send "added multi d3" and "added multi d4" without fields
		assertThat(this.output.take()).containsExactlyInAnyOrder("changed multi d1 {x=1}", "added multi d3 {y=2}",
				"added multi d4 {z=1}", "removed multi d2");
		// Back to tracking membership only
		assertThat(next.fields("multi", "d3")).isEmpty();
		assertThat(next.documentCount()).isEqualTo(3);
		next.changed(a2, "multi", "d3", fields("y", 2));
		next.removed(this.b, "multi", "d4");
		assertThat(this.output.take()).containsExactly("changed multi d3 {y=2}", "removed multi d4");
		assertThat(next.documentCount()).isEqualTo(2);
	}

	@Test
	void noMergeMultiDocumentsMergedDuringTheRerunKeepOnlyTheirPublishersAfterwards() {
		SubscriptionHandle c = SubscriptionHandle.named("c");
		MergeBox next = this.box.startUserChange();
		next.added(this.a, "multi", "d1", fields("x", 1));
		next.added(this.b, "multi", "d1", fields("x", 2, "y", 2));
		next.completeUserChange(this.box);
		assertThat(this.output.take()).containsExactly("added multi d1 {x=1, y=2}");
		// Forwarded as they come, no longer merged
		next.added(c, "multi", "d1", fields("x", 1));
		next.changed(this.b, "multi", "d1", fields("y", 2));
		assertThat(this.output.take()).containsExactly("changed multi d1 {x=1}", "changed multi d1 {y=2}");
		next.removed(this.b, "multi", "d1");
		next.removeSubscription(c);
		assertThat(this.output.take()).isEmpty();
		assertThat(next.fields("multi", "d1")).isEmpty();
		next.removed(this.a, "multi", "d1");
		assertThat(this.output.take()).containsExactly("removed multi d1");
		assertThat(next.collections()).isEmpty();
	}

	@Test
	void diffOfTwoMergeBoxesMovesTheClientFromOneToTheOther() {
		RecordingOutput diffOutput = new RecordingOutput();
		MergeBox other = new MergeBox(new RecordingOutput());
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 2, "y", 2));
		other.added(this.a, "c", "d1", fields("x", 2, "y", 2));
		other.added(this.a, "c", "d2", fields());
		MergeBox.diff(this.box, other, diffOutput);
		assertThat(diffOutput.take()).containsExactly("changed c d1 {x=2}", "added c d2 {}");
		MergeBox.diff(other, this.box, diffOutput);
		assertThat(diffOutput.take()).containsExactly("changed c d1 {x=1}", "removed c d2");
		MergeBox.diff(this.box, this.box, diffOutput);
		assertThat(diffOutput.take()).isEmpty();
		assertThat(this.box.fields("c", "d1")).isEqualTo(Map.of("x", 1, "y", 2));
	}

	@Test
	void completingWithoutAUserChangeFails() {
		assertThatIllegalStateException().isThrownBy(() -> this.box.completeUserChange(this.box))
			.withMessage("No user change in progress");
		MergeBox next = this.box.startUserChange();
		next.completeUserChange(this.box);
		assertThatIllegalStateException().isThrownBy(() -> next.completeUserChange(this.box));
	}

}
