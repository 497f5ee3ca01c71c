package io.ddp.spring.server.publication;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * All publications a server offers: named ones by name, and universal ones.
 * {@link DdpPublication} beans are registered at startup; register others at any time. A
 * universal publication registered while sessions are open starts in each of them.
 *
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class DdpPublicationRegistry {

	private final Map<String, DdpPublicationHandler> named = new ConcurrentHashMap<>();

	private final List<DdpPublicationHandler> universal = new CopyOnWriteArrayList<>();

	private final List<Consumer<DdpPublicationHandler>> universalListeners = new CopyOnWriteArrayList<>();

	/**
	 * Register a named publication.
	 * @param name the name
	 * @param handler the handler
	 * @throws IllegalStateException if the name is taken; the message names both
	 */
	public void register(String name, DdpPublicationHandler handler) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("DDP publication name must not be empty");
		}
		DdpPublicationHandler existing = this.named.putIfAbsent(name, handler);
		if (existing != null) {
			throw new IllegalStateException(
					"Duplicate DDP publication '" + name + "': defined by " + existing + " and by " + handler);
		}
	}

	/**
	 * Register a universal publication; open sessions start it at once.
	 * @param handler the handler
	 */
	public void registerUniversal(DdpPublicationHandler handler) {
		this.universal.add(handler);
		this.universalListeners.forEach((listener) -> listener.accept(handler));
	}

	/**
	 * Return the named publication.
	 * @param name the name
	 * @return the handler or {@code null}
	 */
	public @Nullable DdpPublicationHandler find(String name) {
		return this.named.get(name);
	}

	/**
	 * Return the names of the named publications, sorted.
	 * @return the names
	 */
	public Set<String> names() {
		return Collections.unmodifiableSet(new TreeSet<>(this.named.keySet()));
	}

	/**
	 * Return the universal publications.
	 * @return an unmodifiable snapshot
	 */
	public List<DdpPublicationHandler> universal() {
		return List.copyOf(this.universal);
	}

	/**
	 * Be told of universal publications registered from now on.
	 * @param listener the listener
	 * @return removes the listener
	 */
	public Runnable onUniversalRegistered(Consumer<DdpPublicationHandler> listener) {
		this.universalListeners.add(listener);
		return () -> this.universalListeners.remove(listener);
	}

}
