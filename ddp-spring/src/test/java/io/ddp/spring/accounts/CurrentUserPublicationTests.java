package io.ddp.spring.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.publication.ServerSubscription;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link CurrentUserPublication}: what it sends as the user changes, and that a
 * stopped subscription is forgotten. The wire frames are checked over real sockets by
 * {@code DdpAccountsTests} and {@code TwoInstancesTests}; here a recording subscription
 * shows the calls.
 */
class CurrentUserPublicationTests {

	private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

	private static final Ejson EJSON = Ejson.createDefault();

	private static final MethodArguments NO_ARGUMENTS = MethodArguments.of(EJSON.mapper().createArrayNode(), EJSON);

	private final InMemoryDdpUserStore users = new InMemoryDdpUserStore();

	private final CurrentUserPublication publication = new CurrentUserPublication(this.users);

	private static DdpUser ann(Map<String, Object> profile, String... emails) {
		return new DdpUser("ann-id", "ann", List.of(emails), profile, Set.of(), null, NOW);
	}

	@Test
	void sendsTheDifferenceOfEachUpdateUntilStopped() {
		this.users.create(ann(Map.of("name", "Ann")));
		Recording first = new Recording("ann-id");
		Recording second = new Recording("ann-id");
		this.publication.publish(first, NO_ARGUMENTS);
		this.publication.publish(second, NO_ARGUMENTS);
		assertThat(first.calls).containsExactly("added ann-id {username=ann, profile={name=Ann}}", "ready");
		assertThat(this.publication.watchedUsers()).isOne();
		this.users.update(ann(Map.of("name", "Ann"), "ann@example.com"));
		this.users.update(ann(Map.of()));
		// roles are not published: no message
		this.users.update(new DdpUser("ann-id", "ann", List.of(), Map.of(), Set.of("ADMIN"), null, NOW));
		assertThat(first.calls).containsExactly("added ann-id {username=ann, profile={name=Ann}}", "ready",
				"changed ann-id {emails=[{address=ann@example.com, verified=false}]}",
				"changed ann-id {emails=null, profile=null}");
		assertThat(second.calls).isEqualTo(first.calls);
		first.stop();
		this.users.update(ann(Map.of("name", "Anne")));
		assertThat(first.calls).hasSize(4);
		assertThat(second.calls).last().isEqualTo("changed ann-id {profile={name=Anne}}");
		second.stop();
		assertThat(this.publication.watchedUsers()).isZero();
		// a new subscription after the last one stopped is followed again
		Recording third = new Recording("ann-id");
		this.publication.publish(third, NO_ARGUMENTS);
		this.users.update(ann(Map.of()));
		assertThat(third.calls).containsExactly("added ann-id {username=ann, profile={name=Anne}}", "ready",
				"changed ann-id {profile=null}");
	}

	@Test
	void anAnonymousConnectionIsOnlyMadeReadyAndAClosedPublicationHearsNothing() {
		this.users.create(ann(Map.of()));
		Recording anonymous = new Recording(null);
		this.publication.publish(anonymous, NO_ARGUMENTS);
		assertThat(anonymous.calls).containsExactly("ready");
		assertThat(this.publication.watchedUsers()).isZero();
		Recording ann = new Recording("ann-id");
		this.publication.publish(ann, NO_ARGUMENTS);
		this.publication.close();
		this.users.update(ann(Map.of("name", "Ann")));
		assertThat(ann.calls).containsExactly("added ann-id {username=ann}", "ready");
	}

	@Test
	void oneFailingSubscriptionKeepsTheUpdateFromNoOther() {
		this.users.create(ann(Map.of()));
		Recording failing = new Recording("ann-id") {

			@Override
			public void changed(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
				throw new IllegalStateException("broken subscription");
			}

		};
		Recording working = new Recording("ann-id");
		this.publication.publish(failing, NO_ARGUMENTS);
		this.publication.publish(working, NO_ARGUMENTS);
		List<String> told = new ArrayList<>();
		this.users.onChanged(told::add);
		this.users.update(ann(Map.of("name", "Ann")));
		assertThat(working.calls).last().isEqualTo("changed ann-id {profile={name=Ann}}");
		assertThat(told).containsExactly("ann-id");
	}

	@Test
	void aStoreThatFailsTheFirstReadLeavesNoWatcherBehind() {
		InMemoryDdpUserStore failing = new InMemoryDdpUserStore() {

			@Override
			public @Nullable DdpUser findById(String id) {
				throw new IllegalStateException("database down");
			}

		};
		CurrentUserPublication publication = new CurrentUserPublication(failing);
		Recording subscription = new Recording("ann-id");
		assertThatIllegalStateException().isThrownBy(() -> publication.publish(subscription, NO_ARGUMENTS));
		// the server stops a subscription whose handler threw
		subscription.stop();
		assertThat(publication.watchedUsers()).isZero();
	}

	@Test
	void concurrentUpdatesAndSubscriptionsEndWithTheLatestProfileEverywhere() throws Exception {
		this.users.create(ann(Map.of("n", 0)));
		List<Recording> kept = new CopyOnWriteArrayList<>();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < 3; t++) {
			int thread = t;
			threads.add(new Thread(() -> {
				try {
					for (int i = 1; i <= 300; i++) {
						this.users.update(ann(Map.of("n", thread * 1000 + i)));
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}));
		}
		for (int t = 0; t < 3; t++) {
			threads.add(new Thread(() -> {
				try {
					for (int i = 0; i < 200; i++) {
						Recording recording = new Recording("ann-id");
						this.publication.publish(recording, NO_ARGUMENTS);
						if (i % 50 == 0) {
							kept.add(recording);
						}
						else {
							recording.stop();
						}
					}
				}
				catch (Throwable ex) {
					failures.add(ex);
				}
			}));
		}
		threads.forEach(Thread::start);
		for (Thread thread : threads) {
			thread.join(30_000);
		}
		assertThat(failures).isEmpty();
		this.users.update(ann(Map.of("n", -1)));
		// every running subscription followed every update it overlapped and ends at the
		// last one; the stopped ones are forgotten
		assertThat(kept).hasSize(12)
			.allSatisfy((recording) -> assertThat(recording.calls).last().isEqualTo("changed ann-id {profile={n=-1}}"));
		assertThat(this.publication.watchedUsers()).isOne();
		kept.forEach(Recording::stop);
		assertThat(this.publication.watchedUsers()).isZero();
	}

	/**
	 * A subscription that records what the publication calls.
	 */
	static class Recording implements ServerSubscription {

		final List<String> calls = new CopyOnWriteArrayList<>();

		private final List<Runnable> stopCallbacks = new ArrayList<>();

		private final @Nullable String userId;

		private volatile boolean active = true;

		Recording(@Nullable String userId) {
			this.userId = userId;
		}

		@Override
		public @Nullable String id() {
			return null;
		}

		@Override
		public @Nullable String name() {
			return null;
		}

		@Override
		public void added(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
			record("added " + id + " " + fields);
		}

		@Override
		public void changed(String collection, Object id, Map<String, ? extends @Nullable Object> fields) {
			record("changed " + id + " " + fields);
		}

		@Override
		public void removed(String collection, Object id) {
			record("removed " + id);
		}

		private void record(String call) {
			if (this.active) {
				this.calls.add(call);
			}
		}

		@Override
		public void ready() {
			record("ready");
		}

		@Override
		public void error(Throwable error) {
			stop();
		}

		@Override
		public void stop() {
			this.active = false;
			this.stopCallbacks.forEach(Runnable::run);
		}

		@Override
		public void onStop(Runnable callback) {
			this.stopCallbacks.add(callback);
		}

		@Override
		public boolean isActive() {
			return this.active;
		}

		@Override
		public @Nullable String userId() {
			return this.userId;
		}

		@Override
		public ClientConnection connection() {
			throw new UnsupportedOperationException("not needed by the publication");
		}

		@Override
		public void unblock() {
		}

	}

}
