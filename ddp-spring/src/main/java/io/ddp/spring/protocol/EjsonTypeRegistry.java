package io.ddp.spring.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The custom EJSON types known to an {@link EjsonModule}, looked up by {@code $type} name
 * when decoding and by Java class when encoding. Thread-safe.
 * <p>
 * Register types before the mapper first meets their Java classes: Jackson caches the
 * serializers and deserializers it builds for a class.
 *
 * @since 0.1.0
 * @see #withDefaults()
 */
public final class EjsonTypeRegistry {

	private final Map<String, EjsonType<?>> byName = new ConcurrentHashMap<>();

	private final Map<Class<?>, EjsonType<?>> byClass = new ConcurrentHashMap<>();

	// Registration order, so that a lookup by supertype is deterministic
	private final List<EjsonType<?>> ordered = new ArrayList<>();

	/**
	 * Create an empty registry. Most applications want {@link #withDefaults()}, which
	 * knows Mongo's {@code oid} type.
	 */
	public EjsonTypeRegistry() {
	}

	/**
	 * Create a registry that knows the types every Meteor application has: {@code oid}
	 * for {@link ObjectId}.
	 * @return a new registry
	 */
	public static EjsonTypeRegistry withDefaults() {
		EjsonTypeRegistry registry = new EjsonTypeRegistry();
		registry.register(ObjectIdEjsonType.INSTANCE);
		return registry;
	}

	/**
	 * Register a custom type.
	 * @param type the type to register
	 * @throws IllegalStateException if a type with the same name, or for the same Java
	 * class, is already registered
	 */
	public void register(EjsonType<?> type) {
		Objects.requireNonNull(type, "'type' must not be null");
		String name = Objects.requireNonNull(type.name(), "'type.name()' must not be null");
		Class<?> javaType = Objects.requireNonNull(type.javaType(), "'type.javaType()' must not be null");
		if (name.isEmpty()) {
			throw new IllegalArgumentException("EJSON type name must not be empty");
		}
		synchronized (this.ordered) {
			if (this.byName.containsKey(name)) {
				throw new IllegalStateException("EJSON type '" + name + "' is already registered");
			}
			EjsonType<?> existing = this.byClass.get(javaType);
			if (existing != null) {
				throw new IllegalStateException("EJSON type '" + existing.name() + "' is already registered for "
						+ javaType.getName() + ", cannot register '" + name + "'");
			}
			this.byName.put(name, type);
			this.byClass.put(javaType, type);
			this.ordered.add(type);
		}
	}

	/**
	 * Return the type registered under the given {@code $type} name.
	 * @param name the type name
	 * @return the type or {@code null}
	 */
	public @Nullable EjsonType<?> find(String name) {
		return this.byName.get(name);
	}

	/**
	 * Return the type that encodes instances of the given class: the type registered for
	 * that exact class or else the first registered type whose Java type is a supertype
	 * of it.
	 * @param javaClass the class of a value
	 * @return the type or {@code null}
	 */
	public @Nullable EjsonType<?> findFor(Class<?> javaClass) {
		EjsonType<?> type = this.byClass.get(javaClass);
		if (type != null || javaClass == Object.class) {
			return type;
		}
		synchronized (this.ordered) {
			for (EjsonType<?> candidate : this.ordered) {
				if (candidate.javaType().isAssignableFrom(javaClass)) {
					return candidate;
				}
			}
		}
		return null;
	}

	/**
	 * Return the registered types in registration order.
	 * @return an unmodifiable snapshot of the registered types
	 */
	public List<EjsonType<?>> types() {
		synchronized (this.ordered) {
			return Collections.unmodifiableList(new ArrayList<>(this.ordered));
		}
	}

}
