package io.ddp.spring.accounts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DdpLoginTokenStore} in memory: tokens are lost on restart, so clients log in
 * again, and are not shared between instances.
 *
 * @since 0.1.0
 */
public class InMemoryDdpLoginTokenStore implements DdpLoginTokenStore {

	private static final Log logger = LogFactory.getLog(InMemoryDdpLoginTokenStore.class);

	private final Map<String, DdpLoginToken> tokens = new ConcurrentHashMap<>();

	private final List<Consumer<DdpLoginToken>> listeners = new CopyOnWriteArrayList<>();

	@Override
	public void add(DdpLoginToken token) {
		this.tokens.put(token.hashedToken(), token);
	}

	@Override
	public @Nullable DdpLoginToken findByHash(String hashedToken) {
		return this.tokens.get(hashedToken);
	}

	@Override
	public List<DdpLoginToken> findByUser(String userId) {
		return this.tokens.values().stream().filter((token) -> token.userId().equals(userId)).toList();
	}

	@Override
	public boolean remove(String hashedToken) {
		DdpLoginToken removed = this.tokens.remove(hashedToken);
		if (removed != null) {
			removed(removed);
		}
		return removed != null;
	}

	@Override
	public int removeOthers(String userId, @Nullable String keptHashedToken) {
		return removeIf((token) -> token.userId().equals(userId) && !token.hashedToken().equals(keptHashedToken));
	}

	@Override
	public int removeCreatedBefore(Instant instant) {
		return removeIf((token) -> token.createdAt().isBefore(instant));
	}

	private int removeIf(Predicate<DdpLoginToken> condition) {
		List<DdpLoginToken> removed = new ArrayList<>();
		for (DdpLoginToken token : this.tokens.values()) {
			if (condition.test(token) && this.tokens.remove(token.hashedToken(), token)) {
				removed.add(token);
			}
		}
		removed.forEach(this::removed);
		return removed.size();
	}

	private void removed(DdpLoginToken token) {
		for (Consumer<DdpLoginToken> listener : this.listeners) {
			try {
				listener.accept(token);
			}
			catch (RuntimeException ex) {
				logger.error("A listener of removed DDP login tokens failed; the connections of user '" + token.userId()
						+ "' using that token may stay logged in", ex);
			}
		}
	}

	@Override
	public Runnable onRemoved(Consumer<DdpLoginToken> listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

}
