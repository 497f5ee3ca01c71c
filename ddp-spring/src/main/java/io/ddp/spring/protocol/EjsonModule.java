package io.ddp.spring.protocol;

import java.util.Objects;

import tools.jackson.core.Version;
import tools.jackson.databind.module.SimpleModule;

/**
 * A Jackson module that reads and writes EJSON, Meteor's extended JSON.
 * <p>
 * Serialization writes {@link java.time.Instant} and {@link java.util.Date} as
 * {@code {"$date":<ms>}}, {@code byte[]} as {@code {"$binary":"<base64>"}}, non-finite
 * doubles and floats as {@code {"$InfNaN":0|1|-1}}, {@link java.util.regex.Pattern} and
 * {@link EjsonRegExp} as {@code {"$regexp":...,"$flags":...}}, registered custom types as
 * {@code {"$type":...,"$value":...}} and maps that would be mistaken for one of these as
 * {@code {"$escape":{...}}}.
 * <p>
 * Deserialization into {@code Object} (and so into {@code Map<String, Object>},
 * {@code List<Object>} and untyped values) produces EJSON values: ordered
 * {@link java.util.LinkedHashMap}s, {@link java.util.ArrayList}s, scalars, and
 * {@link java.time.Instant}, {@code byte[]}, {@link Double}, {@link EjsonRegExp} and
 * custom type instances for the special forms. Declared types with an EJSON form bind
 * from it too.
 * <p>
 * Registering a second {@code EjsonModule} on a mapper builder replaces the first.
 *
 * @since 0.1.0
 * @see Ejson
 */
public class EjsonModule extends SimpleModule {

	private static final long serialVersionUID = 1L;

	private final EjsonTypeRegistry types;

	/**
	 * Create a module that knows the given custom types.
	 * @param types the custom types
	 */
	public EjsonModule(EjsonTypeRegistry types) {
		super("EjsonModule", Version.unknownVersion(), EjsonModule.class.getName());
		this.types = Objects.requireNonNull(types, "'types' must not be null");
	}

	/**
	 * Return the custom types this module knows.
	 * @return the type registry
	 */
	public EjsonTypeRegistry types() {
		return this.types;
	}

	@Override
	public void setupModule(SetupContext context) {
		EjsonDeserializers.ValueReader values = new EjsonDeserializers.ValueReader(new EjsonDecoder(this.types));
		context.addSerializers(new EjsonSerializers(this.types));
		context.addSerializerModifier(new EjsonSerializers.EscapingModifier());
		context.addDeserializers(new EjsonDeserializers(values));
		context.addDeserializerModifier(new EjsonDeserializers.Modifier(values));
		// Jackson consults the most recently added serializers first: let (de)serializers
		// added to this module instance override the EJSON ones
		super.setupModule(context);
	}

}
