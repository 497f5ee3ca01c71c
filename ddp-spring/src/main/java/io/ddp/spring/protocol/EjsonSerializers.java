package io.ddp.spring.protocol;

import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonFormat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.Base64Variants;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonGeneratorBase;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.SerializationConfig;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import tools.jackson.databind.jsontype.TypeSerializer;
import tools.jackson.databind.ser.Serializers;
import tools.jackson.databind.ser.ValueSerializerModifier;
import tools.jackson.databind.ser.std.StdSerializer;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.MapType;

/**
 * The serializers of {@link EjsonModule}. Each writes its EJSON form straight to the
 * generator: they run for every method result and published document.
 */
final class EjsonSerializers extends Serializers.Base {

	private static final long serialVersionUID = 1L;

	private final EjsonTypeRegistry types;

	EjsonSerializers(EjsonTypeRegistry types) {
		this.types = types;
	}

	@Override
	public @Nullable ValueSerializer<?> findSerializer(SerializationConfig config, JavaType type,
			BeanDescription.Supplier beanDescRef, JsonFormat.Value formatOverrides) {
		Class<?> raw = type.getRawClass();
		if (raw == Instant.class) {
			return InstantSerializer.INSTANCE;
		}
		if (Date.class.isAssignableFrom(raw)) {
			return DateSerializer.INSTANCE;
		}
		if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
			return FloatingPointSerializer.INSTANCE;
		}
		if (raw == Pattern.class || raw == EjsonRegExp.class) {
			return RegExpSerializer.INSTANCE;
		}
		if (raw == Object.class) {
			return null;
		}
		EjsonType<?> custom = this.types.findFor(raw);
		if (custom == null && raw == ObjectId.class) {
			// Object ids keep their Meteor form even with a registry that lacks "oid"
			custom = ObjectIdEjsonType.INSTANCE;
		}
		return (custom != null) ? new CustomTypeSerializer<>(custom) : null;
	}

	@Override
	public @Nullable ValueSerializer<?> findArraySerializer(SerializationConfig config, ArrayType type,
			BeanDescription.Supplier beanDescRef, JsonFormat.Value formatOverrides,
			@Nullable TypeSerializer elementTypeSerializer, @Nullable ValueSerializer<Object> elementValueSerializer) {
		Class<?> raw = type.getRawClass();
		if (raw == byte[].class) {
			return BinarySerializer.INSTANCE;
		}
		if (raw == double[].class) {
			return DoubleArraySerializer.INSTANCE;
		}
		if (raw == float[].class) {
			return FloatArraySerializer.INSTANCE;
		}
		return null;
	}

	static void writeDate(JsonGenerator gen, Object value, @Nullable Long epochMillis) {
		gen.writeStartObject(value);
		gen.writeName("$date");
		if (epochMillis != null) {
			gen.writeNumber(epochMillis.longValue());
		}
		else {
			// What Meteor writes for an invalid Date
			gen.writeNull();
		}
		gen.writeEndObject();
	}

	static void writeDouble(JsonGenerator gen, double value) {
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			writeInfNaN(gen, value);
		}
		else {
			gen.writeNumber(value);
		}
	}

	static void writeFloat(JsonGenerator gen, float value) {
		if (Float.isNaN(value) || Float.isInfinite(value)) {
			writeInfNaN(gen, value);
		}
		else {
			gen.writeNumber(value);
		}
	}

	private static void writeInfNaN(JsonGenerator gen, double value) {
		gen.writeStartObject();
		gen.writeName("$InfNaN");
		gen.writeNumber(Double.isNaN(value) ? 0 : (value > 0) ? 1 : -1);
		gen.writeEndObject();
	}

	/**
	 * Return whether a map would decode as a special form and so must be written inside
	 * {@code $escape} (Meteor's {@code matchObject} of the escape converter).
	 * @param map the map
	 * @return whether to escape it
	 */
	static boolean needsEscape(Map<?, ?> map) {
		int size = map.size();
		return (size == 1 || size == 2) && EjsonDecoder.formOf(map) != EjsonDecoder.Form.NONE;
	}

	/**
	 * Writes an {@link Instant} as {@code {"$date":<epoch millis>}}.
	 */
	static final class InstantSerializer extends StdSerializer<Instant> {

		static final InstantSerializer INSTANCE = new InstantSerializer();

		// JavaScript dates span +/-8.64e15 ms around the epoch
		private static final Instant MIN = Instant.ofEpochMilli(-8_640_000_000_000_000L);

		private static final Instant MAX = Instant.ofEpochMilli(8_640_000_000_000_000L);

		private InstantSerializer() {
			super(Instant.class);
		}

		@Override
		public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
			boolean valid = !value.isBefore(MIN) && !value.isAfter(MAX);
			writeDate(gen, value, valid ? value.toEpochMilli() : null);
		}

	}

	/**
	 * Writes a {@link Date} as {@code {"$date":<epoch millis>}}.
	 */
	static final class DateSerializer extends StdSerializer<Date> {

		static final DateSerializer INSTANCE = new DateSerializer();

		private DateSerializer() {
			super(Date.class);
		}

		@Override
		public void serialize(Date value, JsonGenerator gen, SerializationContext ctxt) {
			long time = value.getTime();
			boolean valid = Math.abs(time) <= 8_640_000_000_000_000L;
			writeDate(gen, value, valid ? time : null);
		}

	}

	/**
	 * Writes doubles and floats, with NaN and the infinities as {@code {"$InfNaN":...}}.
	 */
	static final class FloatingPointSerializer extends StdSerializer<Number> {

		static final FloatingPointSerializer INSTANCE = new FloatingPointSerializer();

		private FloatingPointSerializer() {
			super(Number.class);
		}

		@Override
		public void serialize(Number value, JsonGenerator gen, SerializationContext ctxt) {
			if (value instanceof Float floatValue) {
				writeFloat(gen, floatValue);
			}
			else {
				writeDouble(gen, value.doubleValue());
			}
		}

	}

	/**
	 * Writes {@code byte[]} as {@code {"$binary":"<base64>"}}.
	 */
	static final class BinarySerializer extends StdSerializer<byte[]> {

		static final BinarySerializer INSTANCE = new BinarySerializer();

		private BinarySerializer() {
			super(byte[].class);
		}

		@Override
		public void serialize(byte[] value, JsonGenerator gen, SerializationContext ctxt) {
			gen.writeStartObject(value);
			gen.writeName("$binary");
			if (gen instanceof JsonGeneratorBase) {
				// Streamed as standard base64 with '=' padding and no line feeds:
				// Meteor's format
				gen.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, value, 0, value.length);
			}
			else {
				// Tree builders and token buffers would keep the raw bytes; EJSON wants
				// text
				gen.writeString(Base64.getEncoder().encodeToString(value));
			}
			gen.writeEndObject();
		}

		@Override
		public boolean isEmpty(SerializationContext ctxt, byte[] value) {
			return value.length == 0;
		}

	}

	/**
	 * Writes {@code double[]} element by element so that non-finite values get their
	 * EJSON form.
	 */
	static final class DoubleArraySerializer extends StdSerializer<double[]> {

		static final DoubleArraySerializer INSTANCE = new DoubleArraySerializer();

		private DoubleArraySerializer() {
			super(double[].class);
		}

		@Override
		public void serialize(double[] value, JsonGenerator gen, SerializationContext ctxt) {
			gen.writeStartArray(value, value.length);
			for (double element : value) {
				writeDouble(gen, element);
			}
			gen.writeEndArray();
		}

		@Override
		public boolean isEmpty(SerializationContext ctxt, double[] value) {
			return value.length == 0;
		}

	}

	/**
	 * Writes {@code float[]} element by element so that non-finite values get their EJSON
	 * form.
	 */
	static final class FloatArraySerializer extends StdSerializer<float[]> {

		static final FloatArraySerializer INSTANCE = new FloatArraySerializer();

		private FloatArraySerializer() {
			super(float[].class);
		}

		@Override
		public void serialize(float[] value, JsonGenerator gen, SerializationContext ctxt) {
			gen.writeStartArray(value, value.length);
			for (float element : value) {
				writeFloat(gen, element);
			}
			gen.writeEndArray();
		}

		@Override
		public boolean isEmpty(SerializationContext ctxt, float[] value) {
			return value.length == 0;
		}

	}

	/**
	 * Writes {@link Pattern} and {@link EjsonRegExp} as
	 * {@code {"$regexp":"<source>","$flags":"<flags>"}}.
	 */
	static final class RegExpSerializer extends StdSerializer<Object> {

		static final RegExpSerializer INSTANCE = new RegExpSerializer();

		private RegExpSerializer() {
			super(Object.class);
		}

		@Override
		public void serialize(Object value, JsonGenerator gen, SerializationContext ctxt) {
			EjsonRegExp regExp = (value instanceof Pattern pattern) ? EjsonRegExp.of(pattern) : (EjsonRegExp) value;
			gen.writeStartObject(value);
			gen.writeStringProperty("$regexp", regExp.source());
			gen.writeStringProperty("$flags", regExp.flags());
			gen.writeEndObject();
		}

	}

	/**
	 * Writes a value of a custom type as {@code {"$type":"<name>","$value":<json>}}.
	 */
	static final class CustomTypeSerializer<T> extends StdSerializer<T> {

		private final EjsonType<T> type;

		@SuppressWarnings("unchecked")
		CustomTypeSerializer(EjsonType<?> type) {
			super(type.javaType());
			this.type = (EjsonType<T>) type;
		}

		@Override
		public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) {
			Object json = this.type.toJsonValue(value);
			gen.writeStartObject(value);
			gen.writeStringProperty("$type", this.type.name());
			gen.writeName("$value");
			if (json != null) {
				ctxt.writeValue(gen, json);
			}
			else {
				gen.writeNull();
			}
			gen.writeEndObject();
		}

	}

	/**
	 * Wraps every map serializer Jackson builds so that maps that would be mistaken for a
	 * special form are written as {@code {"$escape":{...}}}.
	 */
	static final class EscapingModifier extends ValueSerializerModifier {

		private static final long serialVersionUID = 1L;

		@Override
		public ValueSerializer<?> modifyMapSerializer(SerializationConfig config, MapType valueType,
				BeanDescription.Supplier beanDescRef, ValueSerializer<?> serializer) {
			return new EscapingMapSerializer(serializer);
		}

	}

	/**
	 * Adds the {@code $escape} wrapper around Jackson's own map serializer when needed;
	 * the inner map's values are written by the delegate, so they are EJSON too.
	 */
	static final class EscapingMapSerializer extends StdSerializer<Map<?, ?>> {

		private final ValueSerializer<Object> delegate;

		@SuppressWarnings("unchecked")
		EscapingMapSerializer(ValueSerializer<?> delegate) {
			super(Map.class);
			this.delegate = (ValueSerializer<Object>) delegate;
		}

		@Override
		public void serialize(Map<?, ?> value, JsonGenerator gen, SerializationContext ctxt) {
			if (needsEscape(value)) {
				gen.writeStartObject(value);
				gen.writeName("$escape");
				this.delegate.serialize(value, gen, ctxt);
				gen.writeEndObject();
			}
			else {
				this.delegate.serialize(value, gen, ctxt);
			}
		}

		@Override
		public void serializeWithType(Map<?, ?> value, JsonGenerator gen, SerializationContext ctxt,
				TypeSerializer typeSer) {
			this.delegate.serializeWithType(value, gen, ctxt, typeSer);
		}

		@Override
		public ValueSerializer<?> createContextual(SerializationContext ctxt, BeanProperty property) {
			return wrap(this.delegate.createContextual(ctxt, property));
		}

		@Override
		public void resolve(SerializationContext ctxt) {
			this.delegate.resolve(ctxt);
		}

		@Override
		public ValueSerializer<?> withFilterId(Object filterId) {
			return wrap(this.delegate.withFilterId(filterId));
		}

		@Override
		public ValueSerializer<?> withIgnoredProperties(Set<String> ignoredProperties) {
			return wrap(this.delegate.withIgnoredProperties(ignoredProperties));
		}

		@Override
		public ValueSerializer<?> withFormatOverrides(SerializationConfig config, JsonFormat.Value formatOverrides) {
			return wrap(this.delegate.withFormatOverrides(config, formatOverrides));
		}

		@Override
		public boolean isEmpty(SerializationContext ctxt, Map<?, ?> value) {
			return this.delegate.isEmpty(ctxt, value);
		}

		@Override
		public boolean usesObjectId() {
			return this.delegate.usesObjectId();
		}

		@Override
		public ValueSerializer<?> getDelegatee() {
			return this.delegate;
		}

		@Override
		public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType typeHint) {
			this.delegate.acceptJsonFormatVisitor(visitor, typeHint);
		}

		private ValueSerializer<?> wrap(ValueSerializer<?> serializer) {
			return (serializer == this.delegate) ? this : new EscapingMapSerializer(serializer);
		}

	}

}
