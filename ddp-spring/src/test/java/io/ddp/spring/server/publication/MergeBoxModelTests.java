package io.ddp.spring.server.publication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Model-based tests: random sequences of {@code added}, {@code changed}, {@code removed}
 * and stopped subscriptions from one to three subscriptions go through a
 * {@link ReferenceMergeBox} (Meteor's algorithm as written), a {@link MergeBox} fed plain
 * maps and a {@link MergeBox} fed shared {@link DocumentSnapshot}s, which must all send
 * the same messages and show the same documents.
 */
class MergeBoxModelTests {

	private static final String[] COLLECTIONS = { "c1", "c2" };

	private static final String[] IDS = { "d1", "d2", "d3" };

	private static final String[] FIELDS = { "f1", "f2", "f3", "f4" };

	// EJSON-equal pairs (1 and 1L) print the same, so messages compare as text
	private static final Object[] VALUES = { 0, 1, 1L, 2, "x", List.of(1, 2), Map.of("a", 1), Instant.ofEpochMilli(5),
			true };

	@Test
	void plainAndSharedMergeBoxesSendWhatMeteorsAlgorithmSends() {
		for (long seed = 0; seed < 400; seed++) {
			new Run(seed).run(250);
		}
	}

	/**
	 * One random sequence through the three merge boxes.
	 */
	private static final class Run {

		private final long seed;

		private final Random random;

		private final RecordingOutput referenceOutput = new RecordingOutput(true);

		private final RecordingOutput plainOutput = new RecordingOutput(true);

		private final RecordingOutput sharedOutput = new RecordingOutput(true);

		private final ReferenceMergeBox reference = new ReferenceMergeBox(this.referenceOutput);

		private final MergeBox plain = new MergeBox(this.plainOutput);

		private final MergeBox shared = new MergeBox(this.sharedOutput);

		private final List<SubscriptionHandle> subs = new ArrayList<>();

		// What each subscription publishes: its current snapshot per collection and id
		private final Map<SubscriptionHandle, Map<String, DocumentSnapshot>> published = new HashMap<>();

		Run(long seed) {
			this.seed = seed;
			this.random = new Random(seed);
			int count = 1 + this.random.nextInt(3);
			for (int i = 0; i < count; i++) {
				SubscriptionHandle sub = (i == 2) ? SubscriptionHandle.universal("u")
						: SubscriptionHandle.named("s" + i);
				this.subs.add(sub);
				this.published.put(sub, new HashMap<>());
			}
		}

		void run(int steps) {
			for (int step = 0; step < steps; step++) {
				SubscriptionHandle sub = this.subs.get(this.random.nextInt(this.subs.size()));
				String collection = COLLECTIONS[this.random.nextInt(COLLECTIONS.length)];
				String id = IDS[this.random.nextInt(IDS.length)];
				String key = collection + "/" + id;
				Map<String, DocumentSnapshot> docs = this.published.get(sub);
				DocumentSnapshot current = docs.get(key);
				int dice = this.random.nextInt(100);
				if (dice < 4) {
					stop(sub, step);
				}
				else if (current == null && dice < 90) {
					added(sub, collection, id, step);
				}
				else if (current == null) {
					invalid(sub, collection, id, step);
				}
				else if (dice < 75) {
					changed(sub, collection, id, current, step);
				}
				else {
					removed(sub, collection, id, step);
				}
				if (step % 25 == 0) {
					compareDocuments(step);
				}
			}
			compareDocuments(steps);
			for (SubscriptionHandle sub : this.subs) {
				stop(sub, steps);
			}
			assertThat(this.plain.collections()).as(description(steps)).isEmpty();
			assertThat(this.shared.collections()).as(description(steps)).isEmpty();
		}

		private void added(SubscriptionHandle sub, String collection, String id, int step) {
			Map<String, @Nullable Object> fields = new LinkedHashMap<>();
			for (String field : FIELDS) {
				if (this.random.nextInt(100) < 55) {
					fields.put(field, randomValue());
				}
			}
			if (this.random.nextInt(10) == 0) {
				fields.put("_id", id);
			}
			DocumentSnapshot snapshot = DocumentSnapshot.of(fields);
			this.published.get(sub).put(collection + "/" + id, snapshot);
			compare(step, "added " + sub + " " + collection + " " + id + " " + fields,
					() -> this.reference.added(sub, collection, id, fields),
					() -> this.plain.added(sub, collection, id, fields),
					() -> this.shared.addedShared(sub, collection, id, snapshot));
		}

		private void changed(SubscriptionHandle sub, String collection, String id, DocumentSnapshot current, int step) {
			Map<String, @Nullable Object> changes = new LinkedHashMap<>();
			int count = this.random.nextInt(4);
			for (int i = 0; i < count; i++) {
				String field = FIELDS[this.random.nextInt(FIELDS.length)];
				changes.put(field, (this.random.nextInt(100) < 30) ? MergeBox.UNDEFINED : randomValue());
			}
			DocumentSnapshot next = current.with(changes);
			if (this.random.nextBoolean()) {
				// A fresh snapshot rather than a derived one: no shared field names
				next = DocumentSnapshot.of(new LinkedHashMap<>(next.asMap()));
			}
			this.published.get(sub).put(collection + "/" + id, next);
			DocumentSnapshot snapshot = next;
			compare(step, "changed " + sub + " " + collection + " " + id + " " + changes,
					() -> this.reference.changed(sub, collection, id, changes),
					() -> this.plain.changed(sub, collection, id, changes),
					() -> this.shared.changedShared(sub, collection, id, snapshot));
		}

		private void removed(SubscriptionHandle sub, String collection, String id, int step) {
			this.published.get(sub).remove(collection + "/" + id);
			compare(step, "removed " + sub + " " + collection + " " + id,
					() -> this.reference.removed(sub, collection, id), () -> this.plain.removed(sub, collection, id),
					() -> this.shared.removed(sub, collection, id));
		}

		private void invalid(SubscriptionHandle sub, String collection, String id, int step) {
			if (this.random.nextBoolean()) {
				Map<String, @Nullable Object> changes = Map.of("f1", 1);
				compare(step, "invalid changed " + sub + " " + collection + " " + id,
						() -> this.reference.changed(sub, collection, id, changes),
						() -> this.plain.changed(sub, collection, id, changes),
						() -> this.shared.changedShared(sub, collection, id, DocumentSnapshot.of(changes)));
			}
			else {
				removed(sub, collection, id, step);
			}
		}

		private void stop(SubscriptionHandle sub, int step) {
			this.published.get(sub).clear();
			compare(step, "stop " + sub, () -> this.reference.removeSubscription(sub),
					() -> this.plain.removeSubscription(sub), () -> this.shared.removeSubscription(sub));
		}

		private void compare(int step, String operation, Runnable reference, Runnable plain, Runnable shared) {
			String referenceError = attempt(reference);
			String plainError = attempt(plain);
			String sharedError = attempt(shared);
			String description = description(step) + " " + operation;
			assertThat(plainError).as(description).isEqualTo(referenceError);
			assertThat(sharedError).as(description).isEqualTo(referenceError);
			// Documents are visited in different orders when a subscription stops
			List<String> expected = sorted(this.referenceOutput.take());
			assertThat(sorted(this.plainOutput.take())).as(description).isEqualTo(expected);
			assertThat(sorted(this.sharedOutput.take())).as(description).isEqualTo(expected);
		}

		private void compareDocuments(int step) {
			for (String collection : COLLECTIONS) {
				assertThat(this.plain.documentIds(collection)).as(description(step))
					.isEqualTo(this.reference.documentIds(collection));
				assertThat(this.shared.documentIds(collection)).as(description(step))
					.isEqualTo(this.reference.documentIds(collection));
				for (String id : IDS) {
					String expected = render(this.reference.fields(collection, id));
					assertThat(render(this.plain.fields(collection, id))).as(description(step)).isEqualTo(expected);
					assertThat(render(this.shared.fields(collection, id))).as(description(step)).isEqualTo(expected);
				}
			}
			assertThat(this.plain.collections()).as(description(step)).isEqualTo(this.reference.collections());
			int held = 0;
			for (String collection : COLLECTIONS) {
				held += this.reference.documentIds(collection).size();
			}
			// The running count, which the document limit reads on every new document.
			assertThat(this.plain.documentCount()).as(description(step)).isEqualTo(held);
			assertThat(this.shared.documentCount()).as(description(step)).isEqualTo(held);
		}

		private String description(int step) {
			return "seed " + this.seed + " step " + step;
		}

		private @Nullable Object randomValue() {
			int i = this.random.nextInt(VALUES.length + 1);
			return (i < VALUES.length) ? VALUES[i] : null;
		}

		private static @Nullable String attempt(Runnable call) {
			try {
				call.run();
				return null;
			}
			catch (IllegalStateException ex) {
				return ex.getMessage();
			}
		}

		private static List<String> sorted(List<String> messages) {
			List<String> sorted = new ArrayList<>(messages);
			sorted.sort(null);
			return sorted;
		}

		private static String render(@Nullable Map<String, @Nullable Object> fields) {
			return (fields != null) ? new TreeMap<>(fields).toString() : "absent";
		}

	}

}
