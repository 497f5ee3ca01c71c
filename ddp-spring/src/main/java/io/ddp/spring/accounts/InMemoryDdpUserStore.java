package io.ddp.spring.accounts;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DdpUserStore} in memory, for development, tests and fixtures. Updates are
 * reported to the {@link #onChanged(Consumer) listeners} on the updating thread, once the
 * update is visible.
 *
 * @since 0.1.0
 */
public class InMemoryDdpUserStore implements DdpUserStore {

	private static final Log logger = LogFactory.getLog(InMemoryDdpUserStore.class);

	private final Map<String, DdpUser> users = new ConcurrentHashMap<>();

	private final List<Consumer<@Nullable String>> listeners = new CopyOnWriteArrayList<>();

	@Override
	public @Nullable DdpUser findById(String id) {
		return this.users.get(id);
	}

	@Override
	public @Nullable DdpUser findByUsername(String username) {
		return find(username, (user) -> (user.username() != null) ? List.of(user.username()) : List.of());
	}

	@Override
	public @Nullable DdpUser findByEmail(String email) {
		return find(email, DdpUser::emails);
	}

	// Meteor's lookup: the exact value, else the only user matching it ignoring case.
	private @Nullable DdpUser find(String value, Function<DdpUser, List<String>> values) {
		DdpUser caseInsensitive = null;
		int caseInsensitiveMatches = 0;
		for (DdpUser user : this.users.values()) {
			for (String candidate : values.apply(user)) {
				if (candidate.equals(value)) {
					return user;
				}
				if (candidate.equalsIgnoreCase(value)) {
					caseInsensitive = user;
					caseInsensitiveMatches++;
				}
			}
		}
		return (caseInsensitiveMatches == 1) ? caseInsensitive : null;
	}

	@Override
	public synchronized void create(DdpUser user) {
		if (this.users.containsKey(user.id())) {
			throw new DuplicateUserException("User id already exists.");
		}
		checkUnique(user);
		this.users.put(user.id(), user);
	}

	@Override
	public void update(DdpUser user) {
		synchronized (this) {
			if (!this.users.containsKey(user.id())) {
				throw new IllegalArgumentException("No user with id '" + user.id() + "'");
			}
			checkUnique(user);
			this.users.put(user.id(), user);
		}
		// outside the lock: a listener reads the store
		for (Consumer<@Nullable String> listener : this.listeners) {
			try {
				listener.accept(user.id());
			}
			catch (RuntimeException ex) {
				// the update is made: the caller and the other listeners must not see it
				// fail
				logger.warn("A listener of changed users failed for user " + user.id(), ex);
			}
		}
	}

	@Override
	public Runnable onChanged(Consumer<@Nullable String> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private void checkUnique(DdpUser user) {
		for (DdpUser other : this.users.values()) {
			if (other.id().equals(user.id())) {
				continue;
			}
			if (user.username() != null && other.username() != null
					&& lower(user.username()).equals(lower(other.username()))) {
				throw new DuplicateUserException("Username already exists.");
			}
			for (String email : user.emails()) {
				if (other.emails().stream().anyMatch((taken) -> lower(taken).equals(lower(email)))) {
					throw new DuplicateUserException("Email already exists.");
				}
			}
		}
	}

	private static String lower(String value) {
		return value.toLowerCase(Locale.ROOT);
	}

}
