package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DdpCursor} publishing: initial documents, the transitions of live
 * documents, projections, and the multiplexers equal cursors share.
 */
class DdpCursorTests {

	private final DdpCollection<Task> tasks = new DdpCollection<>("tasks", Task.class, Ejson.createDefault());

	record Task(String id, String owner, String text, boolean done) {
	}

	@Test
	void publishingSendsTheMatchingDocumentsBeforeReturning() {
		this.tasks.insert(new Task("a", "ann", "one", false));
		this.tasks.insert(new Task("b", "ann", "two", true));
		RecordingPublisher publisher = publish(this.tasks.find((task) -> !task.done()));
		assertThat(publisher.takeCalls()).containsExactly("added a {owner=ann, text=one, done=false}");
	}

	@Test
	void documentsThatStartOrStopMatchingAreAddedAndRemoved() {
		Predicate<Task> open = (task) -> !task.done();
		RecordingPublisher publisher = publish(this.tasks.find(open));
		this.tasks.insert(new Task("a", "ann", "one", false));
		this.tasks.insert(new Task("b", "ann", "two", true));
		this.tasks.update("a", Map.of("$set", Map.of("text", "uno")));
		this.tasks.update("a", Map.of("$set", Map.of("done", true)));
		this.tasks.update("b", Map.of("$set", Map.of("done", false)));
		this.tasks.update("b", Map.of("$set", Map.of("owner", "bob")));
		this.tasks.remove("b");
		this.tasks.remove("a");
		assertThat(publisher.takeCalls()).containsExactly("added a {owner=ann, text=one, done=false}",
				"changed a {owner=ann, text=uno, done=false}", "removed a", "added b {owner=ann, text=two, done=false}",
				"changed b {owner=bob, text=two, done=false}", "removed b");
	}

	@Test
	void aChangeThatLeavesTheDocumentAsItWasSendsNothing() {
		this.tasks.insert(new Task("a", "ann", "one", false));
		RecordingPublisher publisher = publish(this.tasks.find());
		publisher.takeCalls();
		this.tasks.update("a", (task) -> new Task("a", "ann", "one", false));
		this.tasks.upsert(new Task("a", "ann", "one", false));
		assertThat(publisher.takeCalls()).isEmpty();
	}

	@Test
	void projectionsPublishOnlyTheirFieldsAndIgnoreChangesToOthers() {
		this.tasks.insert(new Task("a", "ann", "one", false));
		RecordingPublisher included = publish(this.tasks.find().include("text", "_id"));
		RecordingPublisher excluded = publish(this.tasks.find().exclude("owner"));
		this.tasks.update("a", Map.of("$set", Map.of("owner", "bob")));
		this.tasks.update("a", Map.of("$set", Map.of("done", true)));
		assertThat(included.takeCalls()).containsExactly("added a {text=one}");
		assertThat(excluded.takeCalls()).containsExactly("added a {text=one, done=false}",
				"changed a {text=one, done=true}");
		assertThatIllegalStateException().isThrownBy(() -> this.tasks.find().include("a").exclude("b"));
	}

	@Test
	void equalCursorsShareOneMultiplexerThatTestsEachWriteOnce() {
		AtomicInteger tests = new AtomicInteger();
		Predicate<Task> open = (task) -> {
			tests.incrementAndGet();
			return !task.done();
		};
		RecordingPublisher first = publish(this.tasks.find(open));
		RecordingPublisher second = publish(this.tasks.find(open));
		RecordingPublisher third = publish(this.tasks.find(open));
		assertThat(tests).hasValue(0);
		this.tasks.insert(new Task("a", "ann", "one", false));
		assertThat(tests).hasValue(1);
		this.tasks.update("a", Map.of("$set", Map.of("text", "uno")));
		assertThat(tests).hasValue(2);
		assertThat(feed().multiplexerCount()).isOne();
		// Every session gets the same snapshot and id instances
		assertThat(second.snapshots).hasSize(2);
		for (int i = 0; i < 2; i++) {
			assertThat(second.snapshots.get(i)).isSameAs(first.snapshots.get(i)).isSameAs(third.snapshots.get(i));
			assertThat(second.wireIds.get(i)).isSameAs(first.wireIds.get(i)).isSameAs(third.wireIds.get(i));
		}
	}

	@Test
	void aJoiningSubscriptionGetsWhatTheMultiplexerHas() {
		Predicate<Task> all = (task) -> true;
		RecordingPublisher first = publish(this.tasks.find(all));
		this.tasks.insert(new Task("a", "ann", "one", false));
		RecordingPublisher second = publish(this.tasks.find(all));
		assertThat(second.takeCalls()).containsExactly("added a {owner=ann, text=one, done=false}");
		assertThat(second.snapshots.get(0)).isSameAs(first.snapshots.get(0));
	}

	@Test
	void cursorsWithEqualKeysShareAndOthersDoNot() {
		publish(this.tasks.find("owner:ann", (task) -> task.owner().equals("ann")));
		publish(this.tasks.find("owner:ann", (task) -> task.owner().equals("ann")));
		assertThat(feed().multiplexerCount()).isOne();
		publish(this.tasks.find((task) -> task.owner().equals("ann")));
		publish(this.tasks.find((task) -> task.owner().equals("ann")));
		assertThat(feed().multiplexerCount()).isEqualTo(3);
		publish(this.tasks.find("owner:ann", (task) -> task.owner().equals("ann")).include("text"));
		assertThat(feed().multiplexerCount()).isEqualTo(4);
	}

	@Test
	void aStoppedSubscriptionGetsNothingMoreAndTheLastOneStopsTheMultiplexer() {
		Predicate<Task> all = (task) -> true;
		RecordingPublisher first = publish(this.tasks.find(all));
		RecordingPublisher second = publish(this.tasks.find(all));
		first.subscription.stop();
		this.tasks.insert(new Task("a", "ann", "one", false));
		assertThat(first.calls).isEmpty();
		assertThat(second.calls).hasSize(1);
		second.subscription.stop();
		assertThat(feed().multiplexerCount()).isZero();
		// A new subscription starts a new multiplexer from the collection's documents
		RecordingPublisher third = publish(this.tasks.find(all));
		assertThat(third.takeCalls()).containsExactly("added a {owner=ann, text=one, done=false}");
	}

	@Test
	void aSubscriptionThatFailsIsStoppedWithTheErrorAndOthersGoOn() {
		RecordingPublisher failing = new RecordingPublisher("tasks") {

			@Override
			public synchronized void added(String id, DocumentSnapshot fields) {
				throw new IllegalStateException("broken session (expected by the test)");
			}

		};
		Predicate<Task> all = (task) -> true;
		this.tasks.find(all).publish(failing);
		RecordingPublisher healthy = publish(this.tasks.find(all));
		this.tasks.insert(new Task("a", "ann", "one", false));
		assertThat(failing.subscription.errors).hasSize(1);
		assertThat(failing.subscription.isActive()).isFalse();
		assertThat(healthy.calls).hasSize(1);
	}

	@Test
	void aFilterThatThrowsDoesNotMatch() {
		RecordingPublisher publisher = publish(this.tasks.find((task) -> {
			if (task.text().equals("bad")) {
				throw new IllegalStateException("filter failure (expected by the test)");
			}
			return true;
		}));
		this.tasks.insert(new Task("a", "ann", "bad", false));
		this.tasks.insert(new Task("b", "ann", "good", false));
		assertThat(publisher.documents).containsOnlyKeys("b");
	}

	@Test
	void documentIdsGoOnTheWireEscaped() {
		this.tasks.insert(new Task("-dash", "ann", "one", false));
		RecordingPublisher publisher = publish(this.tasks.find());
		assertThat(publisher.documents).containsOnlyKeys("--dash");
	}

	@Test
	void concurrentWritersLeaveEverySubscriptionWithExactlyTheMatchingDocuments() throws Exception {
		Predicate<Task> open = (task) -> !task.done();
		List<RecordingPublisher> publishers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			publishers.add(publish(this.tasks.find(open)));
		}
		ExecutorService executor = Executors.newFixedThreadPool(8);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> writers = new ArrayList<>();
		for (int w = 0; w < 8; w++) {
			int writer = w;
			writers.add(executor.submit(() -> {
				start.await();
				ThreadLocalRandom random = ThreadLocalRandom.current();
				for (int i = 0; i < 300; i++) {
					String id = "d" + random.nextInt(20);
					switch (random.nextInt(4)) {
						case 0 -> this.tasks.upsert(new Task(id, "w" + writer, "t" + i, random.nextBoolean()));
						case 1 -> this.tasks.update(id, Map.of("$set", Map.of("done", random.nextBoolean())));
						case 2 -> this.tasks.update(id, Map.of("$set", Map.of("text", "x" + i)));
						default -> this.tasks.remove(id);
					}
					if (writer == 0 && i % 50 == 0) {
						// Subscriptions come and go while writes race
						RecordingPublisher late = publish(this.tasks.find(open));
						late.subscription.stop();
					}
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> writer : writers) {
			writer.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();
		Map<String, Map<String, Object>> expected = new HashMap<>();
		for (Task task : this.tasks.find(open).fetch()) {
			expected.put(task.id(), Map.of("owner", task.owner(), "text", task.text(), "done", task.done()));
		}
		for (RecordingPublisher publisher : publishers) {
			Map<String, Map<String, Object>> seen = new HashMap<>();
			publisher.documents.forEach((id, fields) -> seen.put(id, Map.copyOf(fields.asMap())));
			assertThat(seen).isEqualTo(expected);
			assertThat(publisher.subscription.errors).isEmpty();
		}
	}

	@Test
	void manySubscribersShareOneWriteAndThoseThatLeftGetNothing() {
		this.tasks.insert(new Task("a", "ann", "one", false));
		List<RecordingPublisher> publishers = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			publishers.add(publish(this.tasks.find()));
		}
		// Enough leave to drop them from the multiplexer in a batch, and some that stay
		// marked
		for (int i = 0; i < 1500; i++) {
			publishers.get(i).subscription.stop();
		}
		publishers.forEach(RecordingPublisher::takeCalls);
		this.tasks.update("a", Map.of("$set", Map.of("text", "uno")));
		for (int i = 0; i < publishers.size(); i++) {
			if (i < 1500) {
				assertThat(publishers.get(i).takeCalls()).isEmpty();
			}
			else {
				assertThat(publishers.get(i).takeCalls())
					.containsExactly("changed a {owner=ann, text=uno, done=false}");
			}
		}
		publishers.subList(1500, 2000).forEach((publisher) -> publisher.subscription.stop());
		assertThat(feed().multiplexerCount()).isZero();
	}

	private RecordingPublisher publish(DdpCursor<Task> cursor) {
		RecordingPublisher publisher = new RecordingPublisher("tasks");
		cursor.publish(publisher);
		return publisher;
	}

	private ChangeFeed<Task> feed() {
		return this.tasks.feed();
	}

}
