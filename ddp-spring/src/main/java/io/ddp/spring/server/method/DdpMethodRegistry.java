package io.ddp.spring.server.method;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * All DDP methods a server answers, by name. {@link DdpMethod} beans are registered at
 * startup; register others at any time with {@link #register(String, DdpMethodHandler)}.
 *
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class DdpMethodRegistry {

	private final Map<String, DdpMethodHandler> methods = new ConcurrentHashMap<>();

	/**
	 * Register a method.
	 * @param name the method name
	 * @param handler the handler
	 * @throws IllegalStateException if a method of that name exists; the message names
	 * both
	 */
	public void register(String name, DdpMethodHandler handler) {
		if (name.isEmpty()) {
			throw new IllegalArgumentException("DDP method name must not be empty");
		}
		DdpMethodHandler existing = this.methods.putIfAbsent(name, handler);
		if (existing != null) {
			throw new IllegalStateException(
					"Duplicate DDP method '" + name + "': defined by " + existing + " and by " + handler);
		}
	}

	/**
	 * Remove a method.
	 * @param name the method name
	 * @return whether a method was removed
	 */
	public boolean unregister(String name) {
		return this.methods.remove(name) != null;
	}

	/**
	 * Return the method of the given name.
	 * @param name the name
	 * @return the handler or {@code null}
	 */
	public @Nullable DdpMethodHandler find(String name) {
		return this.methods.get(name);
	}

	/**
	 * Return the registered method names, sorted.
	 * @return the names
	 */
	public Set<String> names() {
		return Collections.unmodifiableSet(new TreeSet<>(this.methods.keySet()));
	}

	/**
	 * Return the registered methods by name.
	 * @return an unmodifiable view
	 */
	public Map<String, DdpMethodHandler> handlers() {
		return Collections.unmodifiableMap(this.methods);
	}

}
