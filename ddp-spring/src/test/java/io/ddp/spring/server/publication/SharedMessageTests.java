package io.ddp.spring.server.publication;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static io.ddp.spring.server.publication.MergeBoxTests.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SharedMessage}: sessions that move a document between the same two
 * shared versions send one message, encoded once.
 */
class SharedMessageTests {

	private final DdpFrames frames = new DdpFrames(Ejson.createDefault());

	@Test
	void sessionsWithTheSameVersionShareOneChangedMessageAndFrame() {
		List<Recorder> sessions = new ArrayList<>();
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("label", "card", "v", 1));
		DocumentSnapshot v2 = DocumentSnapshot.of(fields("label", "card", "v", 2));
		for (int i = 0; i < 3; i++) {
			Recorder session = new Recorder();
			SubscriptionHandle sub = SubscriptionHandle.named("s" + i);
			session.box.addedShared(sub, "board", "d1", v1);
			session.box.changedShared(sub, "board", "d1", v2);
			sessions.add(session);
		}
		SharedMessage added = sessions.get(0).messages.get(0);
		SharedMessage changed = sessions.get(0).messages.get(1);
		assertThat(added.isAdded()).isTrue();
		assertThat(changed.isAdded()).isFalse();
		assertThat(changed.fields()).isEqualTo(Map.of("v", 2));
		assertThat(changed.cleared()).isEmpty();
		for (Recorder session : sessions) {
			assertThat(session.messages).hasSize(2);
			assertThat(session.messages.get(0)).isSameAs(added);
			assertThat(session.messages.get(1)).isSameAs(changed);
		}
		String frame = changed.frame(this.frames);
		assertThat(frame)
			.isEqualTo("{\"msg\":\"changed\",\"collection\":\"board\",\"id\":\"d1\",\"fields\":{\"v\":2}}");
		assertThat(sessions.get(2).messages.get(1).frame(this.frames)).isSameAs(frame);
		assertThat(added.frame(this.frames)).isEqualTo(
				"{\"msg\":\"added\",\"collection\":\"board\",\"id\":\"d1\",\"fields\":{\"label\":\"card\",\"v\":1}}");
	}

	@Test
	void aSessionFollowingADocumentDoesNotKeepItsOldVersions() {
		Recorder session = new Recorder();
		SubscriptionHandle sub = SubscriptionHandle.named("s");
		List<WeakReference<DocumentSnapshot>> versions = new ArrayList<>();
		for (int n = 0; n <= 100; n++) {
			DocumentSnapshot version = DocumentSnapshot.of(fields("n", n));
			versions.add(new WeakReference<>(version));
			if (n == 0) {
				session.box.addedShared(sub, "bench", "p0", version);
			}
			else {
				session.box.changedShared(sub, "bench", "p0", version);
			}
			session.messages.clear();
		}
		// the box holds the newest version, whose message holds the one before it: the
		// older ones must not stay reachable through the messages cached in each
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return versions.subList(0, 99).stream().allMatch((version) -> version.get() == null);
		});
	}

	@Test
	void sessionOnAnotherVersionGetsItsOwnDifference() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("a", 1, "b", 1));
		DocumentSnapshot v2 = DocumentSnapshot.of(fields("a", 2, "b", 1));
		DocumentSnapshot v3 = DocumentSnapshot.of(fields("a", 2));
		Recorder behind = new Recorder();
		Recorder current = new Recorder();
		SubscriptionHandle sub = SubscriptionHandle.named("s");
		behind.box.addedShared(sub, "c", "x", v1);
		current.box.addedShared(sub, "c", "x", v2);
		current.box.changedShared(sub, "c", "x", v3);
		behind.box.changedShared(sub, "c", "x", v3);
		SharedMessage fromV2 = current.messages.get(1);
		SharedMessage fromV1 = behind.messages.get(1);
		assertThat(fromV2.fields()).isEmpty();
		assertThat(fromV2.cleared()).containsExactly("b");
		assertThat(fromV1.fields()).isEqualTo(Map.of("a", 2));
		assertThat(fromV1.cleared()).containsExactly("b");
		assertThat(fromV1.frame(this.frames)).isEqualTo(
				"{\"msg\":\"changed\",\"collection\":\"c\",\"id\":\"x\",\"fields\":{\"a\":2},\"cleared\":[\"b\"]}");
	}

	@Test
	void unchangedVersionSendsNothing() {
		DocumentSnapshot v1 = DocumentSnapshot.of(fields("a", 1));
		DocumentSnapshot same = DocumentSnapshot.of(fields("a", 1));
		Recorder session = new Recorder();
		SubscriptionHandle sub = SubscriptionHandle.named("s");
		session.box.addedShared(sub, "c", "x", v1);
		session.box.changedShared(sub, "c", "x", same);
		assertThat(session.messages).hasSize(1);
	}

	@Test
	void messageIsNotReusedForAnotherDocument() {
		DocumentSnapshot shared = DocumentSnapshot.of(fields("a", 1));
		Recorder session = new Recorder();
		SubscriptionHandle sub = SubscriptionHandle.named("s");
		session.box.addedShared(sub, "c", "x", shared);
		session.box.addedShared(sub, "c", "y", shared);
		session.box.addedShared(sub, "other", "x", shared);
		assertThat(session.messages).extracting(SharedMessage::collection).containsExactly("c", "c", "other");
		assertThat(session.messages).extracting(SharedMessage::id).containsExactly("x", "y", "x");
	}

	private static final class Recorder implements MergeBoxOutput {

		final List<SharedMessage> messages = new ArrayList<>();

		final MergeBox box = new MergeBox(this);

		@Override
		public void send(SharedMessage message) {
			this.messages.add(message);
		}

		@Override
		public void added(String collection, String id, Map<String, @Nullable Object> fields) {
			throw new AssertionError("expected a shared message");
		}

		@Override
		public void changed(String collection, String id, Map<String, @Nullable Object> fields, List<String> cleared) {
			throw new AssertionError("expected a shared message");
		}

		@Override
		public void removed(String collection, String id) {
			throw new AssertionError("unexpected removed");
		}

	}

}
