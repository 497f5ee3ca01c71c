package io.ddp.spring.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A custom EJSON type, the counterpart of Meteor's {@code EJSON.addType}. Values of the
 * {@linkplain #javaType() Java type} travel as {@code {"$type":"<name>","$value":<json
 * value>}}.
 * <p>
 * Register implementations with an {@link EjsonTypeRegistry} before the mapper first
 * serializes or binds the Java type: Jackson caches the (de)serializers it looks up.
 *
 * @param <T> the Java type
 * @since 0.1.0
 * @see EjsonTypeRegistry
 */
public interface EjsonType<T> {

	/**
	 * Return the type name written as {@code $type}. Must match the name the Meteor side
	 * registered.
	 * @return the type name
	 */
	String name();

	/**
	 * Return the Java class of the values of this type.
	 * @return the Java type
	 */
	Class<T> javaType();

	/**
	 * Convert a value to its JSON representation, written as {@code $value}. The result
	 * may be a {@link java.util.Map}, {@link java.util.List}, {@link String},
	 * {@link Number}, {@link Boolean}, {@code null} or any other value the EJSON mapper
	 * can serialize; nested EJSON values (such as an {@link java.time.Instant}) are
	 * encoded as EJSON.
	 * @param value the value to convert
	 * @return the JSON representation
	 */
	@Nullable Object toJsonValue(T value);

	/**
	 * Create a value from the decoded {@code $value}. The argument is an EJSON value as
	 * produced by {@link Ejson#fromJson}: nested EJSON forms have been decoded already,
	 * so it is the mirror image of {@link #toJsonValue}. Exceptions thrown here are
	 * reported as {@link EjsonException}.
	 * @param jsonValue the decoded {@code $value}
	 * @return the value
	 */
	T fromJsonValue(@Nullable Object jsonValue);

}
