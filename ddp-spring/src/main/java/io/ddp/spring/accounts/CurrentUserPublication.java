package io.ddp.spring.accounts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.publication.DdpPublicationHandler;
import io.ddp.spring.server.publication.ServerSubscription;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The universal publication of the connection's own user in collection {@code users},
 * with the fields Meteor publishes by default. It reruns when the connection's user
 * changes, as every universal publication does, and follows the user's document while it
 * runs: each update the store reports ({@link DdpUserStore#onChanged}) is read again and
 * the difference sent as {@code changed} (or {@code added} / {@code removed}).
 *
 * <p>
 * Threads: {@link #publish} runs on the session's thread, the updates on the thread the
 * store reports them on, the stop callbacks on the thread that stops the subscription.
 * Each user's subscriptions are guarded by their {@link Watchers}' monitor, held while
 * the user is read and sent, so that a later read is always sent later. Nothing holds a
 * session's lock while it takes that monitor.
 */
final class CurrentUserPublication implements DdpPublicationHandler {

	private static final Log logger = LogFactory.getLog(CurrentUserPublication.class);

	static final String COLLECTION = "users";

	private final DdpUserStore users;

	private final Map<String, Watchers> watched = new ConcurrentHashMap<>();

	private final Runnable stopListening;

	CurrentUserPublication(DdpUserStore users) {
		this.users = users;
		this.stopListening = users.onChanged(this::userChanged);
	}

	@Override
	public @Nullable Object publish(ServerSubscription subscription, MethodArguments arguments) {
		String userId = subscription.userId();
		if (userId != null) {
			Watcher watcher = new Watcher(subscription, userId);
			Watchers watchers;
			while (true) {
				watchers = this.watched.computeIfAbsent(userId, (id) -> new Watchers());
				synchronized (watchers) {
					if (!watchers.retired) {
						watchers.list.add(watcher);
						break;
					}
					// emptied and taken out of the map meanwhile
				}
			}
			// before the first read, which may fail: the watcher must not outlive the
			// subscription
			subscription.onStop(() -> unwatch(watcher));
			synchronized (watchers) {
				if (watchers.list.contains(watcher)) {
					watcher.send(this.users.findById(userId));
				}
			}
		}
		subscription.ready();
		return null;
	}

	private void unwatch(Watcher watcher) {
		Watchers watchers = this.watched.get(watcher.userId);
		if (watchers == null) {
			return;
		}
		synchronized (watchers) {
			if (watchers.list.remove(watcher) && watchers.list.isEmpty()) {
				watchers.retired = true;
				this.watched.remove(watcher.userId, watchers);
			}
		}
	}

	private void userChanged(@Nullable String userId) {
		if (userId != null) {
			Watchers watchers = this.watched.get(userId);
			if (watchers != null) {
				resend(userId, watchers);
			}
			return;
		}
		// updates may have been missed: every watched user is read again
		for (Map.Entry<String, Watchers> entry : this.watched.entrySet()) {
			resend(entry.getKey(), entry.getValue());
		}
	}

	private void resend(String userId, Watchers watchers) {
		synchronized (watchers) {
			if (watchers.list.isEmpty()) {
				return;
			}
			DdpUser user = this.users.findById(userId);
			for (Watcher watcher : watchers.list) {
				try {
					watcher.send(user);
				}
				catch (RuntimeException ex) {
					// one subscription's failure must not keep the user's other
					// connections stale
					logger.warn("Could not send the changed document of user " + userId + " in '" + COLLECTION + "'",
							ex);
				}
			}
		}
	}

	/**
	 * Return how many users have a running publication, for tests.
	 * @return the users
	 */
	int watchedUsers() {
		return this.watched.size();
	}

	/**
	 * Stop following updates.
	 */
	void close() {
		this.stopListening.run();
	}

	static Map<String, Object> fields(DdpUser user) {
		Map<String, Object> fields = new LinkedHashMap<>();
		if (user.username() != null) {
			fields.put("username", user.username());
		}
		if (!user.emails().isEmpty()) {
			List<Map<String, Object>> emails = user.emails().stream().map(CurrentUserPublication::email).toList();
			fields.put("emails", emails);
		}
		if (!user.profile().isEmpty()) {
			fields.put("profile", user.profile());
		}
		return fields;
	}

	// Meteor's order of keys (a Map.of's changes from one JVM to the next)
	private static Map<String, Object> email(String address) {
		Map<String, Object> email = new LinkedHashMap<>();
		email.put("address", address);
		email.put("verified", false);
		return email;
	}

	// for NullAway 0.12.3 only, as FieldMaps.nullable (uber/NullAway#1126)
	private static Map<String, ? extends @Nullable Object> nullable(Map<String, @Nullable Object> fields) {
		return (Map<String, ? extends @Nullable Object>) fields;
	}

	@Override
	public String toString() {
		return "the current user's document in '" + COLLECTION + "' (ddp.accounts.publish-current-user)";
	}

	/**
	 * The running subscriptions of one user.
	 */
	private static final class Watchers {

		final List<Watcher> list = new ArrayList<>(1);

		// set once the last subscription stopped and the entry left the map
		boolean retired;

	}

	/**
	 * One subscription and the fields it last sent; guarded by its {@link Watchers}.
	 */
	private static final class Watcher {

		final ServerSubscription subscription;

		final String userId;

		@Nullable Map<String, Object> sent;

		Watcher(ServerSubscription subscription, String userId) {
			this.subscription = subscription;
			this.userId = userId;
		}

		void send(@Nullable DdpUser user) {
			Map<String, Object> sent = this.sent;
			if (user == null) {
				if (sent != null) {
					this.subscription.removed(COLLECTION, this.userId);
					this.sent = null;
				}
				return;
			}
			Map<String, Object> fields = fields(user);
			if (sent == null) {
				this.subscription.added(COLLECTION, this.userId, fields);
			}
			else {
				Map<String, @Nullable Object> delta = new LinkedHashMap<>();
				fields.forEach((key, value) -> {
					if (!Objects.equals(sent.get(key), value)) {
						delta.put(key, value);
					}
				});
				for (String key : sent.keySet()) {
					if (!fields.containsKey(key)) {
						delta.put(key, null);
					}
				}
				if (delta.isEmpty()) {
					return;
				}
				this.subscription.changed(COLLECTION, this.userId, nullable(delta));
			}
			this.sent = fields;
		}

	}

}
