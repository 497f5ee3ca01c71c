package io.ddp.spring.server.publication;

import java.lang.ref.Reference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures merge-box heap per (session, document) for 1,000 sessions subscribed to the
 * same 100 documents of 10 small fields, from heap used after garbage collection. The
 * numbers are approximate and printed; the bounds are loose so that the test is not
 * flaky. The subscription handles and the publishers' data exist before the baseline.
 */
class MergeBoxMemoryTests {

	private static final int SESSIONS = 1_000;

	private static final int DOCUMENTS = 100;

	private static final int FIELDS = 10;

	private static final MergeBoxOutput DISCARD = new MergeBoxOutput() {

		@Override
		public void added(String collection, String id, Map<String, @Nullable Object> fields) {
		}

		@Override
		public void changed(String collection, String id, Map<String, @Nullable Object> fields, List<String> cleared) {
		}

		@Override
		public void removed(String collection, String id) {
		}

	};

	private final String[] ids = new String[DOCUMENTS];

	private final Map<String, @Nullable Object>[] documents = newMaps();

	private final DocumentSnapshot[] snapshots = new DocumentSnapshot[DOCUMENTS];

	private final SubscriptionHandle[] subs = new SubscriptionHandle[SESSIONS];

	private final SubscriptionHandle[] otherSubs = new SubscriptionHandle[SESSIONS];

	MergeBoxMemoryTests() {
		for (int d = 0; d < DOCUMENTS; d++) {
			this.ids[d] = "doc" + d;
			this.documents[d] = new LinkedHashMap<>();
			for (int f = 0; f < FIELDS; f++) {
				this.documents[d].put("field" + f, ((f % 2) == 0) ? (Object) (d * 1000 + f) : ("value " + d + "/" + f));
			}
			this.snapshots[d] = DocumentSnapshot.of(this.documents[d]);
		}
		for (int s = 0; s < SESSIONS; s++) {
			this.subs[s] = SubscriptionHandle.named("sub" + s);
			this.otherSubs[s] = SubscriptionHandle.named("other" + s);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static Map<String, @Nullable Object>[] newMaps() {
		return new Map[DOCUMENTS];
	}

	@Test
	void sessionsSharingSnapshotsKeepAFewBytesPerDocument() {
		double bytes = bytesPerSessionAndDocument(
				(box, s, d) -> box.addedShared(this.subs[s], "items", this.ids[d], this.snapshots[d]));
		report("shared snapshots", bytes);
		assertThat(bytes).isLessThan(200);
	}

	@Test
	void sessionsPublishingPlainMapsKeepACompactCopy() {
		double bytes = bytesPerSessionAndDocument(
				(box, s, d) -> box.added(this.subs[s], "items", this.ids[d], this.documents[d]));
		report("plain maps (cloned)", bytes);
		assertThat(bytes).isLessThan(1_000);
	}

	@Test
	void documentsWithTwoPublishersAreMerged() {
		double bytes = bytesPerSessionAndDocument((box, s, d) -> {
			box.addedShared(this.subs[s], "items", this.ids[d], this.snapshots[d]);
			box.addedShared(this.otherSubs[s], "items", this.ids[d], this.snapshots[d]);
		});
		report("two subscriptions per document (merged)", bytes);
		assertThat(bytes).isLessThan(5_000);
	}

	private double bytesPerSessionAndDocument(Publisher publisher) {
		MergeBox[] boxes = new MergeBox[SESSIONS];
		long before = usedHeap();
		for (int s = 0; s < SESSIONS; s++) {
			boxes[s] = new MergeBox(DISCARD);
			for (int d = 0; d < DOCUMENTS; d++) {
				publisher.publish(boxes[s], s, d);
			}
		}
		long after = usedHeap();
		assertThat(boxes[SESSIONS - 1].documentIds("items")).hasSize(DOCUMENTS);
		Reference.reachabilityFence(boxes);
		return (after - before) / (double) (SESSIONS * DOCUMENTS);
	}

	// System.gc() is a full collection that returns when it is done: collect again until
	// the used heap stops shrinking (objects freed by reference processing go too).
	private static long usedHeap() {
		Runtime runtime = Runtime.getRuntime();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 10; i++) {
			System.gc();
			long now = runtime.totalMemory() - runtime.freeMemory();
			if (now >= used) {
				return used;
			}
			used = now;
		}
		return used;
	}

	private static void report(String what, double bytes) {
		System.out.printf("Merge box, %s: %.1f bytes per (session, document)%n", what, bytes);
	}

	@FunctionalInterface
	private interface Publisher {

		void publish(MergeBox box, int session, int document);

	}

}
