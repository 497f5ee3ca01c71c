package io.ddp.spring.server.publication;

import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PublicationStrategy#NO_MERGE_NO_HISTORY}: every call is forwarded as
 * it is and nothing is remembered.
 */
class NoMergeNoHistoryStrategyTests {

	private final RecordingOutput output = new RecordingOutput();

	private final MergeBox box = new MergeBox(this.output, (collection) -> collection.equals("q")
			? PublicationStrategy.NO_MERGE_NO_HISTORY : PublicationStrategy.SERVER_MERGE);

	private final SubscriptionHandle a = SubscriptionHandle.named("a");

	private final SubscriptionHandle b = SubscriptionHandle.named("b");

	@Test
	void addedIsForwardedEveryTimeWithTheIdField() {
		this.box.added(this.a, "q", "m1", fields("_id", "m1", "text", "hi"));
		this.box.added(this.a, "q", "m1", fields("_id", "m1", "text", "hi"));
		this.box.added(this.b, "q", "m1", fields("text", "hi"));
		assertThat(this.output.take()).containsExactly("added q m1 {_id=m1, text=hi}", "added q m1 {_id=m1, text=hi}",
				"added q m1 {text=hi}");
		assertThat(this.box.collections()).isEmpty();
	}

	@Test
	void changedIsForwardedWithoutComparingOrChecking() {
		this.box.changed(this.a, "q", "unknown", fields("x", 1));
		this.box.changed(this.a, "q", "unknown", fields("x", 1, "y", MergeBox.UNDEFINED));
		this.box.changed(this.a, "q", "unknown", fields());
		assertThat(this.output.take()).containsExactly("changed q unknown {x=1}",
				"changed q unknown {x=1} cleared [y]");
	}

	@Test
	void removedIsForwardedWithoutChecking() {
		this.box.removed(this.a, "q", "m1");
		this.box.removed(this.a, "q", "m1");
		assertThat(this.output.take()).containsExactly("removed q m1", "removed q m1");
	}

	@Test
	void stoppingASubscriptionSendsNothing() {
		this.box.added(this.a, "q", "m1", fields("text", "hi"));
		this.output.take();
		this.box.removeSubscription(this.a);
		assertThat(this.output.take()).isEmpty();
	}

	@Test
	void sharedSnapshotsAreForwardedWholeOrAsTheDifferenceToTheGivenPreviousVersion() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("x", 1, "y", 2));
		DocumentSnapshot v2 = v1.with(fields("y", MergeBox.UNDEFINED, "z", 3));
		this.box.addedShared(this.a, "q", "m1", v1);
		this.box.changedShared(this.a, "q", "m1", v2);
		this.box.changedShared(this.a, "q", "m1", v1, v2);
		assertThat(this.output.take()).containsExactly("added q m1 {x=1, y=2}", "changed q m1 {x=1, z=3}",
				"changed q m1 {z=3} cleared [y]");
	}

}
