package io.ddp.spring.server.publication;

import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PublicationStrategy#NO_MERGE}: calls are forwarded as they are and a
 * stopping subscription removes every id it added.
 */
class NoMergeStrategyTests {

	private final RecordingOutput output = new RecordingOutput();

	private final MergeBox box = new MergeBox(this.output, (collection) -> PublicationStrategy.NO_MERGE);

	private final SubscriptionHandle a = SubscriptionHandle.named("a");

	private final SubscriptionHandle b = SubscriptionHandle.named("b");

	@Test
	void callsAreForwardedAsTheyAre() {
		this.box.added(this.a, "c", "d1", fields("_id", "d1", "x", 1));
		this.box.added(this.b, "c", "d1", fields("x", 2));
		this.box.changed(this.a, "c", "d1", fields("x", 1, "y", MergeBox.UNDEFINED));
		this.box.changed(this.b, "c", "nope", fields("x", 1));
		this.box.removed(this.b, "c", "nope");
		assertThat(this.output.take()).containsExactly("added c d1 {_id=d1, x=1}", "added c d1 {x=2}",
				"changed c d1 {x=1} cleared [y]", "changed c nope {x=1}", "removed c nope");
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void stoppingASubscriptionRemovesEveryIdItAddedEvenIfAnotherStillPublishesIt() {
		this.box.added(this.a, "c", "d1", fields("x", 1));
		this.box.added(this.a, "c", "d2", fields("x", 1));
		this.box.added(this.a, "other", "d3", fields());
		this.box.added(this.b, "c", "d1", fields("x", 1));
		this.output.take();
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactlyInAnyOrder("removed c d1", "removed c d2", "removed other d3");
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).isEmpty();
		this.box.removeSubscription(this.b);
		assertThat(this.output.take()).containsExactly("removed c d1");
	}

	@Test
	void idsTheSubscriptionRemovedAreNotRemovedAgainWhenItStops() {
		this.box.added(this.a, "c", "d1", fields());
		this.box.added(this.a, "c", "d2", fields());
		this.box.removed(this.a, "c", "d1");
		this.output.take();
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactly("removed c d2");
	}

	@Test
	void sharedSnapshotsAreTrackedLikePlainCalls() {
		this.box.addedShared(this.a, "c", "d1", DocumentSnapshot.of(fields("x", 1)));
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).containsExactly("added c d1 {x=1}", "removed c d1");
	}

}
