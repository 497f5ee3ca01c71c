package io.ddp.spring.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.JsonTokenId;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.Deserializers;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.jsontype.TypeDeserializer;
import tools.jackson.databind.type.ArrayType;
import tools.jackson.databind.type.LogicalType;
import tools.jackson.databind.type.MapType;
import tools.jackson.databind.util.TokenBuffer;

/**
 * The deserializers of {@link EjsonModule}: untyped values ({@code Object}, and so the
 * values of {@code Map<String, Object>} and {@code List<Object>}) decode to EJSON values,
 * and the Java types with an EJSON form accept it when bound directly.
 */
final class EjsonDeserializers extends Deserializers.Base {

	private static final long serialVersionUID = 1L;

	private final EjsonTypeRegistry types;

	private final ValueReader values;

	EjsonDeserializers(ValueReader values) {
		this.values = values;
		this.types = values.decoder.types();
	}

	@Override
	public @Nullable ValueDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config,
			BeanDescription.Supplier beanDescRef) {
		Class<?> raw = type.getRawClass();
		if (raw == Object.class) {
			return this.values;
		}
		if (raw == Instant.class || raw == Date.class) {
			return new DateDeserializer(raw, this.values);
		}
		if (raw == EjsonRegExp.class || raw == ObjectId.class || this.types.findFor(raw) != null) {
			return new EjsonFormDeserializer(raw, this.values);
		}
		return null;
	}

	@Override
	public boolean hasDeserializerFor(DeserializationConfig config, Class<?> valueType) {
		return valueType == Object.class || valueType == Instant.class || valueType == Date.class
				|| valueType == EjsonRegExp.class || valueType == ObjectId.class
				|| this.types.findFor(valueType) != null;
	}

	/**
	 * Reads any JSON value into EJSON values. Members of an object that might turn out to
	 * be a special form are read as plain JSON first, because Meteor decodes top down: a
	 * special form's converter sees its members undecoded.
	 */
	static final class ValueReader extends StdDeserializer<Object> {

		final EjsonDecoder decoder;

		ValueReader(EjsonDecoder decoder) {
			super(Object.class);
			this.decoder = decoder;
		}

		@Override
		public @Nullable Object deserialize(JsonParser p, DeserializationContext ctxt) {
			return read(p, ctxt, true);
		}

		@Override
		public @Nullable Object deserializeWithType(JsonParser p, DeserializationContext ctxt,
				TypeDeserializer typeDeserializer) {
			return switch (p.currentTokenId()) {
				case JsonTokenId.ID_START_ARRAY, JsonTokenId.ID_START_OBJECT, JsonTokenId.ID_PROPERTY_NAME ->
					typeDeserializer.deserializeTypedFromAny(p, ctxt);
				default -> read(p, ctxt, true);
			};
		}

		@Override
		public LogicalType logicalType() {
			return LogicalType.Untyped;
		}

		@Override
		public boolean isCachable() {
			return true;
		}

		/**
		 * Read the value at the current token.
		 * @param p the parser
		 * @param ctxt the context
		 * @param decode whether to decode EJSON forms, or read plain JSON
		 * @return the value
		 */
		@Nullable Object read(JsonParser p, DeserializationContext ctxt, boolean decode) {
			switch (p.currentTokenId()) {
				case JsonTokenId.ID_START_OBJECT:
					return readObject(p, ctxt, p.nextName(), decode);
				case JsonTokenId.ID_PROPERTY_NAME:
					return readObject(p, ctxt, p.currentName(), decode);
				case JsonTokenId.ID_END_OBJECT:
					// An empty object whose start a caller already consumed
					return readObject(p, ctxt, null, decode);
				case JsonTokenId.ID_START_ARRAY:
					return readArray(p, ctxt, decode);
				case JsonTokenId.ID_STRING:
					return p.getString();
				case JsonTokenId.ID_NUMBER_INT:
					return ctxt.hasSomeOfFeatures(F_MASK_INT_COERCIONS) ? _coerceIntegral(p, ctxt)
							: JsNumbers.fromJson(p.getNumberValue());
				case JsonTokenId.ID_NUMBER_FLOAT:
					return readFloatingPoint(p, ctxt);
				case JsonTokenId.ID_TRUE:
					return Boolean.TRUE;
				case JsonTokenId.ID_FALSE:
					return Boolean.FALSE;
				case JsonTokenId.ID_NULL:
					return null;
				case JsonTokenId.ID_EMBEDDED_OBJECT:
					return p.getEmbeddedObject();
				default:
					return ctxt.handleUnexpectedToken(getValueType(ctxt), p);
			}
		}

		private @Nullable Object readObject(JsonParser p, DeserializationContext ctxt, @Nullable String firstName,
				boolean decode) {
			Map<String, @Nullable Object> map = new LinkedHashMap<>();
			// The same map as the decoder takes any map: NullAway 0.12.3 reads the
			// wildcards of Map<?, ?> as non-null type arguments (uber/NullAway#1126)
			@SuppressWarnings("NullAway")
			Map<?, ?> members = map;
			// While true, the members read so far are plain JSON awaiting the
			// special-form check
			boolean undecided = decode;
			for (String name = firstName; name != null; name = p.nextName()) {
				p.nextToken();
				if (undecided && name.startsWith("$") && (map.size() < 2 || map.containsKey(name))) {
					map.put(name, read(p, ctxt, false));
				}
				else {
					if (undecided) {
						undecided = false;
						this.decoder.decodeValues(members);
					}
					map.put(name, read(p, ctxt, decode));
				}
			}
			if (undecided) {
				EjsonDecoder.Form form = EjsonDecoder.formOf(members);
				if (form != EjsonDecoder.Form.NONE) {
					return this.decoder.convert(form, members);
				}
				this.decoder.decodeValues(members);
			}
			return map;
		}

		private List<@Nullable Object> readArray(JsonParser p, DeserializationContext ctxt, boolean decode) {
			List<@Nullable Object> list = new ArrayList<>();
			while (p.nextToken() != JsonToken.END_ARRAY) {
				list.add(read(p, ctxt, decode));
			}
			return list;
		}

		private Object readFloatingPoint(JsonParser p, DeserializationContext ctxt) {
			JsonParser.NumberTypeFP type = p.getNumberTypeFP();
			if (type == JsonParser.NumberTypeFP.BIG_DECIMAL) {
				return p.getDecimalValue();
			}
			if (!p.isNaN() && ctxt.isEnabled(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)) {
				return p.getDecimalValue();
			}
			if (type == JsonParser.NumberTypeFP.FLOAT32) {
				return p.getFloatValue();
			}
			return p.getDoubleValue();
		}

	}

	/**
	 * Binds {@link Instant} and {@link Date} from {@code {"$date":...}}, a number of
	 * epoch milliseconds or an ISO-8601 string.
	 */
	static final class DateDeserializer extends StdDeserializer<Object> {

		private final ValueReader values;

		DateDeserializer(Class<?> type, ValueReader values) {
			super(type);
			this.values = values;
		}

		@Override
		public @Nullable Object deserialize(JsonParser p, DeserializationContext ctxt) {
			Instant instant = switch (p.currentTokenId()) {
				case JsonTokenId.ID_START_OBJECT, JsonTokenId.ID_PROPERTY_NAME -> {
					Object value = this.values.read(p, ctxt, true);
					if (!(value instanceof Instant decoded)) {
						yield ctxt.reportInputMismatch(this, "Cannot bind EJSON value %s to %s", describe(value),
								handledType().getName());
					}
					yield decoded;
				}
				case JsonTokenId.ID_NUMBER_INT, JsonTokenId.ID_NUMBER_FLOAT ->
					EjsonDecoder.toInstant(p.getNumberValue());
				case JsonTokenId.ID_STRING -> {
					String text = p.getString().strip();
					yield text.isEmpty() ? null : EjsonDecoder.toInstant(text);
				}
				case JsonTokenId.ID_EMBEDDED_OBJECT -> {
					Object embedded = p.getEmbeddedObject();
					if (embedded instanceof Date date) {
						yield date.toInstant();
					}
					yield (embedded instanceof Instant embeddedInstant) ? embeddedInstant
							: (Instant) ctxt.handleUnexpectedToken(handledType(), p);
				}
				default -> (Instant) ctxt.handleUnexpectedToken(handledType(), p);
			};
			if (instant == null) {
				return null;
			}
			return (handledType() == Date.class) ? Date.from(instant) : instant;
		}

		@Override
		public LogicalType logicalType() {
			return LogicalType.DateTime;
		}

	}

	/**
	 * Binds types whose only JSON form is an EJSON object: {@link EjsonRegExp},
	 * {@link ObjectId} (also from its hex string) and registered custom types.
	 */
	static final class EjsonFormDeserializer extends StdDeserializer<Object> {

		private final ValueReader values;

		EjsonFormDeserializer(Class<?> type, ValueReader values) {
			super(type);
			this.values = values;
		}

		@Override
		public Object deserialize(JsonParser p, DeserializationContext ctxt) {
			if (p.hasToken(JsonToken.START_OBJECT) || p.hasToken(JsonToken.PROPERTY_NAME)) {
				Object value = this.values.read(p, ctxt, true);
				if (handledType().isInstance(value)) {
					return value;
				}
				return ctxt.reportInputMismatch(this, "Cannot bind EJSON value %s to %s", describe(value),
						handledType().getName());
			}
			if (p.hasToken(JsonToken.VALUE_STRING) && handledType() == ObjectId.class) {
				String text = p.getString();
				if (!ObjectId.isHexString(text.toLowerCase(Locale.ROOT))) {
					throw ctxt.weirdStringException(text, ObjectId.class, "not 24 hexadecimal characters");
				}
				return new ObjectId(text);
			}
			return ctxt.handleUnexpectedToken(handledType(), p);
		}

	}

	/**
	 * Adds the EJSON object forms to Jackson's own deserializers of types that also have
	 * plain JSON forms: {@code double}, {@code float}, {@link Number}, {@code byte[]},
	 * {@code double[]}, {@code float[]} and {@link Pattern}, and unwraps {@code $escape}
	 * for maps.
	 */
	static final class Modifier extends ValueDeserializerModifier {

		private static final long serialVersionUID = 1L;

		private final ValueReader values;

		Modifier(ValueReader values) {
			this.values = values;
		}

		@Override
		public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config,
				BeanDescription.Supplier beanDescRef, ValueDeserializer<?> deserializer) {
			Class<?> raw = beanDescRef.getBeanClass();
			if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class
					|| raw == Number.class || raw == Pattern.class) {
				return new ObjectFormDeserializer(deserializer, raw, this.values);
			}
			return deserializer;
		}

		@Override
		public ValueDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType valueType,
				BeanDescription.Supplier beanDescRef, ValueDeserializer<?> deserializer) {
			Class<?> raw = valueType.getRawClass();
			if (raw == byte[].class || raw == double[].class || raw == float[].class) {
				return new ObjectFormDeserializer(deserializer, raw, this.values);
			}
			return deserializer;
		}

		@Override
		public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
				BeanDescription.Supplier beanDescRef, ValueDeserializer<?> deserializer) {
			return new EscapedMapDeserializer(deserializer);
		}

	}

	/**
	 * Decodes EJSON objects for a type Jackson already handles in plain JSON, leaving
	 * every other token to Jackson's deserializer.
	 */
	static final class ObjectFormDeserializer extends DelegatingDeserializer {

		private final Class<?> target;

		private final ValueReader values;

		ObjectFormDeserializer(ValueDeserializer<?> delegatee, Class<?> target, ValueReader values) {
			super(delegatee);
			this.target = target;
			this.values = values;
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
			return new ObjectFormDeserializer(newDelegatee, this.target, this.values);
		}

		@Override
		public @Nullable Object deserialize(JsonParser p, DeserializationContext ctxt) {
			if (p.hasToken(JsonToken.START_OBJECT)) {
				return bind(this.values.read(p, ctxt, true), ctxt);
			}
			if (p.hasToken(JsonToken.START_ARRAY) && (this.target == double[].class || this.target == float[].class)) {
				List<?> elements = (List<?>) this.values.read(p, ctxt, true);
				return bindArray(Objects.requireNonNull(elements, "An array reads as a list"), ctxt);
			}
			return super.deserialize(p, ctxt);
		}

		private @Nullable Object bind(@Nullable Object value, DeserializationContext ctxt) {
			if (value instanceof Number number) {
				if (this.target == Double.class || this.target == double.class) {
					return number.doubleValue();
				}
				if (this.target == Float.class || this.target == float.class) {
					return number.floatValue();
				}
				if (this.target == Number.class) {
					return number;
				}
			}
			if (value instanceof byte[] && this.target == byte[].class) {
				return value;
			}
			if (value instanceof EjsonRegExp regExp && this.target == Pattern.class) {
				return regExp.toPattern();
			}
			return ctxt.reportInputMismatch(this, "Cannot bind EJSON value %s to %s", describe(value),
					this.target.getName());
		}

		private Object bindArray(List<?> elements, DeserializationContext ctxt) {
			double[] doubles = new double[elements.size()];
			for (int i = 0; i < doubles.length; i++) {
				Object element = elements.get(i);
				if (element == null) {
					if (ctxt.isEnabled(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)) {
						return ctxt.reportInputMismatch(this, "Cannot bind null to an element of %s",
								this.target.getName());
					}
				}
				else if (element instanceof Number number) {
					doubles[i] = number.doubleValue();
				}
				else if (element instanceof String text && isDecimal(text)) {
					doubles[i] = Double.parseDouble(text.strip());
				}
				else {
					return ctxt.reportInputMismatch(this, "Cannot bind EJSON value %s to an element of %s",
							describe(element), this.target.getName());
				}
			}
			if (this.target == double[].class) {
				return doubles;
			}
			float[] floats = new float[doubles.length];
			for (int i = 0; i < floats.length; i++) {
				floats[i] = (float) doubles[i];
			}
			return floats;
		}

		private static boolean isDecimal(String text) {
			double value = JsValues.toNumber(text);
			return !Double.isNaN(value) && !text.isBlank();
		}

	}

	/**
	 * Unwraps {@code {"$escape":{...}}} for maps bound to a declared map type, then lets
	 * Jackson's map deserializer read the literal keys. Other objects go straight to it.
	 */
	static final class EscapedMapDeserializer extends DelegatingDeserializer {

		EscapedMapDeserializer(ValueDeserializer<?> delegatee) {
			super(delegatee);
		}

		@Override
		protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> newDelegatee) {
			return new EscapedMapDeserializer(newDelegatee);
		}

		@Override
		public Object deserialize(JsonParser p, DeserializationContext ctxt) {
			if (!p.isExpectedStartObjectToken()) {
				return super.deserialize(p, ctxt);
			}
			String first = p.nextName();
			if (!"$escape".equals(first)) {
				// Jackson's map deserializer continues from the property name (or end)
				return super.deserialize(p, ctxt);
			}
			JsonToken valueToken = p.nextToken();
			TokenBuffer escaped = ctxt.bufferForInputBuffering(p);
			escaped.copyCurrentStructure(p);
			if (p.nextToken() == JsonToken.END_OBJECT && valueToken == JsonToken.START_OBJECT) {
				return super.deserialize(escaped.asParserOnFirstToken(ctxt), ctxt);
			}
			// Not an escape after all: replay the object as read
			TokenBuffer whole = ctxt.bufferForInputBuffering(p);
			whole.writeStartObject();
			whole.writeName("$escape");
			escaped.serialize(whole);
			while (p.currentToken() == JsonToken.PROPERTY_NAME) {
				whole.copyCurrentStructure(p);
				p.nextToken();
			}
			whole.writeEndObject();
			return super.deserialize(whole.asParserOnFirstToken(ctxt), ctxt);
		}

	}

	static String describe(@Nullable Object value) {
		return (value != null) ? value.getClass().getSimpleName() : "null";
	}

}
