package io.ddp.spring.protocol;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.StdSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link Ejson} and {@link EjsonModule}, with the examples of section 7 of the
 * protocol reference.
 */
class EjsonTests {

	private static final String OID = "507f1f77bcf86cd799439011";

	private final Ejson ejson = createEjson();

	private static Ejson createEjson() {
		EjsonTypeRegistry types = EjsonTypeRegistry.withDefaults();
		types.register(Money.TYPE);
		return new Ejson(JsonMapper.builder().build(), types);
	}

	// 7.1 encodings, written

	@Test
	void instantIsWrittenAsDateWithEpochMillis() {
		assertThat(this.ejson.stringify(Instant.ofEpochMilli(1700000000123L))).isEqualTo("{\"$date\":1700000000123}");
		assertThat(this.ejson.stringify(Instant.ofEpochSecond(-1, 999_999_999))).isEqualTo("{\"$date\":-1}");
	}

	@Test
	void instantIsWrittenAsDateByAPlainMapperWithTheModule() {
		// Jackson 3 has java.time built in; the module's serializer must win
		JsonMapper mapper = JsonMapper.builder().addModule(new EjsonModule(EjsonTypeRegistry.withDefaults())).build();
		assertThat(mapper.writeValueAsString(Instant.ofEpochMilli(5))).isEqualTo("{\"$date\":5}");
		assertThat(mapper.writeValueAsString(List.of(Instant.ofEpochMilli(6)))).isEqualTo("[{\"$date\":6}]");
	}

	@Test
	void instantOutsideJavaScriptDateRangeIsWrittenAsNullDate() {
		assertThat(this.ejson.stringify(Instant.ofEpochMilli(8_640_000_000_000_001L))).isEqualTo("{\"$date\":null}");
		assertThat(this.ejson.stringify(Instant.MAX)).isEqualTo("{\"$date\":null}");
	}

	@Test
	void dateIsWrittenAsDateWithEpochMillis() {
		assertThat(this.ejson.stringify(new Date(32491))).isEqualTo("{\"$date\":32491}");
		assertThat(this.ejson.stringify(new java.sql.Timestamp(7))).isEqualTo("{\"$date\":7}");
	}

	@Test
	void bytesAreWrittenAsPaddedStandardBase64() {
		assertThat(this.ejson.stringify("hello".getBytes(StandardCharsets.US_ASCII)))
			.isEqualTo("{\"$binary\":\"aGVsbG8=\"}");
		assertThat(this.ejson.stringify(new byte[] { (byte) 0xfb, (byte) 0xff })).isEqualTo("{\"$binary\":\"+/8=\"}");
		assertThat(this.ejson.stringify(new byte[0])).isEqualTo("{\"$binary\":\"\"}");
	}

	@Test
	void longBinaryHasNoLineBreaks() {
		byte[] bytes = new byte[300];
		String json = this.ejson.stringify(bytes);
		assertThat(json).doesNotContain("\n").doesNotContain("\\n");
		assertThat(json).isEqualTo("{\"$binary\":\"" + "A".repeat(400) + "\"}");
	}

	@Test
	void nonFiniteNumbersAreWrittenAsInfNaN() {
		assertThat(this.ejson.stringify(Double.NaN)).isEqualTo("{\"$InfNaN\":0}");
		assertThat(this.ejson.stringify(Double.POSITIVE_INFINITY)).isEqualTo("{\"$InfNaN\":1}");
		assertThat(this.ejson.stringify(Double.NEGATIVE_INFINITY)).isEqualTo("{\"$InfNaN\":-1}");
		assertThat(this.ejson.stringify(Float.NaN)).isEqualTo("{\"$InfNaN\":0}");
		assertThat(this.ejson.stringify(Float.NEGATIVE_INFINITY)).isEqualTo("{\"$InfNaN\":-1}");
		assertThat(this.ejson.stringify(1.5)).isEqualTo("1.5");
		assertThat(this.ejson.stringify(2.5f)).isEqualTo("2.5");
	}

	@Test
	void nonFiniteNumbersInsideObjectsAndArraysAreWrittenAsInfNaN() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("nan", Double.NaN);
		map.put("list", List.of(Double.POSITIVE_INFINITY, 2));
		assertThat(this.ejson.stringify(map)).isEqualTo("{\"nan\":{\"$InfNaN\":0},\"list\":[{\"$InfNaN\":1},2]}");
		assertThat(this.ejson.stringify(new double[] { 1.5, Double.NaN })).isEqualTo("[1.5,{\"$InfNaN\":0}]");
		assertThat(this.ejson.stringify(new float[] { Float.POSITIVE_INFINITY })).isEqualTo("[{\"$InfNaN\":1}]");
		assertThat(this.ejson.stringify(new Numbers(Double.NaN, Double.NEGATIVE_INFINITY, Float.NaN, Double.NaN)))
			.isEqualTo("{\"primitive\":{\"$InfNaN\":0},\"boxed\":{\"$InfNaN\":-1},"
					+ "\"primitiveFloat\":{\"$InfNaN\":0},\"number\":{\"$InfNaN\":0}}");
	}

	@Test
	void patternIsWrittenAsRegExp() {
		Pattern pattern = Pattern.compile("^a.b$", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
		assertThat(this.ejson.stringify(pattern)).isEqualTo("{\"$regexp\":\"^a.b$\",\"$flags\":\"im\"}");
		assertThat(this.ejson.stringify(new EjsonRegExp("a+", "g"))).isEqualTo("{\"$regexp\":\"a+\",\"$flags\":\"g\"}");
	}

	@Test
	void objectIdIsWrittenAsOidCustomType() {
		assertThat(this.ejson.stringify(new ObjectId(OID)))
			.isEqualTo("{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}");
	}

	@Test
	void objectIdIsWrittenAsOidEvenWithoutTheOidTypeRegistered() {
		Ejson plain = new Ejson(JsonMapper.builder().build(), new EjsonTypeRegistry());
		assertThat(plain.stringify(new ObjectId(OID)))
			.isEqualTo("{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}");
	}

	@Test
	void customTypeIsWrittenWithTypeAndEjsonValue() {
		Money money = new Money("EUR", 1250, Instant.ofEpochMilli(99));
		assertThat(this.ejson.stringify(money)).isEqualTo(
				"{\"$type\":\"money\",\"$value\":{\"currency\":\"EUR\",\"cents\":1250,\"asOf\":{\"$date\":99}}}");
	}

	@Test
	void literalMapThatLooksLikeDateIsEscaped() {
		assertThat(this.ejson.stringify(Map.of("$date", 10000))).isEqualTo("{\"$escape\":{\"$date\":10000}}");
	}

	@Test
	void literalMapsThatLookLikeSpecialFormsAreEscaped() {
		assertThat(this.ejson.stringify(orderedMap("$type", "x", "$value", 1)))
			.isEqualTo("{\"$escape\":{\"$type\":\"x\",\"$value\":1}}");
		assertThat(this.ejson.stringify(orderedMap("$flags", "", "$regexp", "a")))
			.isEqualTo("{\"$escape\":{\"$flags\":\"\",\"$regexp\":\"a\"}}");
		assertThat(this.ejson.stringify(Map.of("$binary", "AA=="))).isEqualTo("{\"$escape\":{\"$binary\":\"AA==\"}}");
		assertThat(this.ejson.stringify(Map.of("$InfNaN", 1))).isEqualTo("{\"$escape\":{\"$InfNaN\":1}}");
	}

	@Test
	void valuesInsideEscapeAreEjson() {
		assertThat(this.ejson.stringify(Map.of("$date", Instant.ofEpochMilli(32491))))
			.isEqualTo("{\"$escape\":{\"$date\":{\"$date\":32491}}}");
	}

	@Test
	void literalEscapeIsEscapedTwice() {
		assertThat(this.ejson.stringify(Map.of("$escape", Map.of("$date", 5))))
			.isEqualTo("{\"$escape\":{\"$escape\":{\"$escape\":{\"$date\":5}}}}");
	}

	@Test
	void mapsThatCannotBeMistakenForSpecialFormsAreNotEscaped() {
		assertThat(this.ejson.stringify(orderedMap("$date", 1, "other", 2))).isEqualTo("{\"$date\":1,\"other\":2}");
		assertThat(this.ejson.stringify(orderedMap("$date", 1, "$foo", 2))).isEqualTo("{\"$date\":1,\"$foo\":2}");
		assertThat(this.ejson.stringify(Map.of("$type", "x"))).isEqualTo("{\"$type\":\"x\"}");
		assertThat(this.ejson.stringify(Map.of("$set", Map.of("a", 1)))).isEqualTo("{\"$set\":{\"a\":1}}");
		assertThat(this.ejson.stringify(Map.of())).isEqualTo("{}");
	}

	@Test
	void mapsInsideRecordsAreEscaped() {
		Holder holder = new Holder(Map.of("$date", 10000));
		String json = this.ejson.stringify(holder);
		assertThat(json).isEqualTo("{\"fields\":{\"$escape\":{\"$date\":10000}}}");
		assertThat(this.ejson.mapper().readValue(json, Holder.class).fields())
			.containsExactly(Map.entry("$date", 10000));
	}

	@Test
	void mapKeyOrderIsKept() {
		assertThat(this.ejson.stringify(orderedMap("z", 1, "a", 2))).isEqualTo("{\"z\":1,\"a\":2}");
	}

	@Test
	void jsonNodeIsWrittenAsItIs() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("$date", 5);
		assertThat(this.ejson.stringify(node)).isEqualTo("{\"$date\":5}");
		assertThat(this.ejson.stringify(Map.of("raw", node))).isEqualTo("{\"raw\":{\"$date\":5}}");
	}

	@Test
	void toJsonBuildsTheEjsonTree() {
		JsonNode tree = this.ejson.toJson(orderedMap("when", Instant.ofEpochMilli(5), "data", new byte[] { 1, 2 }));
		assertThat(tree.get("when").get("$date").isIntegralNumber()).isTrue();
		assertThat(tree.get("when").get("$date").longValue()).isEqualTo(5);
		assertThat(tree.get("data").get("$binary").isString()).isTrue();
		assertThat(tree.get("data").get("$binary").stringValue()).isEqualTo("AQI=");
		assertThat(this.ejson.toJson(null).isNull()).isTrue();
	}

	// 7.1 encodings, read

	@Test
	void dateIsReadAsInstant() {
		assertThat(this.ejson.parse("{\"$date\":1700000000123}")).isEqualTo(Instant.ofEpochMilli(1700000000123L));
		assertThat(this.ejson.parse("{\"$date\":-5}")).isEqualTo(Instant.ofEpochMilli(-5));
	}

	@Test
	void dateValueIsConvertedLikeJavaScriptDateConstructor() {
		assertThat(this.ejson.parse("{\"$date\":1.9}")).isEqualTo(Instant.ofEpochMilli(1));
		assertThat(this.ejson.parse("{\"$date\":-1.9}")).isEqualTo(Instant.ofEpochMilli(-1));
		assertThat(this.ejson.parse("{\"$date\":null}")).isEqualTo(Instant.EPOCH);
		assertThat(this.ejson.parse("{\"$date\":\"2020-01-02T03:04:05.678Z\"}"))
			.isEqualTo(Instant.parse("2020-01-02T03:04:05.678Z"));
		assertThat(this.ejson.parse("{\"$date\":\"2020-01-02\"}")).isEqualTo(Instant.parse("2020-01-02T00:00:00Z"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"$date\":\"not a date\"}", "{\"$date\":8.64e15001}", "{\"$date\":8640000000000001}",
			"{\"$date\":{\"a\":1}}", "{\"$date\":[1,2]}" })
	void dateThatJavaScriptWouldMakeInvalidFailsToDecode(String json) {
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json))
			.withMessageStartingWith("Invalid $date value");
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)));
	}

	@Test
	void binaryIsReadAsBytes() {
		assertThat(this.ejson.parse("{\"$binary\":\"aGVsbG8=\"}"))
			.isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.ejson.parse("{\"$binary\":\"+/8=\"}")).isEqualTo(new byte[] { (byte) 0xfb, (byte) 0xff });
		assertThat(this.ejson.parse("{\"$binary\":\"\"}")).isEqualTo(new byte[0]);
		assertThat(this.ejson.parse("{\"$binary\":\"AQI\"}")).isEqualTo(new byte[] { 1, 2 });
	}

	@Test
	void infNaNIsReadAsSignDividedByZero() {
		assertThat(this.ejson.parse("{\"$InfNaN\":0}")).isEqualTo(Double.NaN);
		assertThat(this.ejson.parse("{\"$InfNaN\":1}")).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.ejson.parse("{\"$InfNaN\":-1}")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.ejson.parse("{\"$InfNaN\":42}")).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.ejson.parse("{\"$InfNaN\":-0.5}")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.ejson.parse("{\"$InfNaN\":\"-1\"}")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.ejson.parse("{\"$InfNaN\":null}")).isEqualTo(Double.NaN);
		assertThat(this.ejson.parse("{\"$InfNaN\":\"x\"}")).isEqualTo(Double.NaN);
	}

	@Test
	void regExpIsReadWithMeteorsFlagRule() {
		assertThat(this.ejson.parse("{\"$regexp\":\"a+\",\"$flags\":\"gi\"}")).isEqualTo(new EjsonRegExp("a+", "gi"));
		assertThat(this.ejson.parse("{\"$flags\":\"i\",\"$regexp\":\"b\"}")).isEqualTo(new EjsonRegExp("b", "i"));
		// Only gimuy survive, each once, in JavaScript's flag order
		assertThat(this.ejson.parse("{\"$regexp\":\"a\",\"$flags\":\"yxsumgiig\"}"))
			.isEqualTo(new EjsonRegExp("a", "gimuy"));
		// Flags beyond the 50th character are cut off
		assertThat(this.ejson.parse("{\"$regexp\":\"a\",\"$flags\":\"" + "g".repeat(50) + "i\"}"))
			.isEqualTo(new EjsonRegExp("a", "g"));
	}

	@Test
	void regExpWithNonStringMembersFailsToDecode() {
		String json = "{\"$regexp\":\"a\",\"$flags\":5}";
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json));
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)));
	}

	@Test
	void oidIsReadAsObjectId() {
		assertThat(this.ejson.parse("{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}"))
			.isEqualTo(new ObjectId(OID));
		assertThat(this.ejson.parse("{\"$value\":\"507f1f77bcf86cd799439011\",\"$type\":\"oid\"}"))
			.isEqualTo(new ObjectId(OID));
	}

	@Test
	void customTypeRoundTrips() {
		Money money = new Money("EUR", 1250, Instant.ofEpochMilli(99));
		String json = this.ejson.stringify(Map.of("price", money));
		assertThat(this.ejson.parse(json)).isEqualTo(Map.of("price", money));
		assertThat(this.ejson.fromJson(readTree(json))).isEqualTo(Map.of("price", money));
		assertThat(this.ejson.mapper().readValue(json, Priced.class)).isEqualTo(new Priced(money));
	}

	@Test
	void plainValuesAreReadAsOrderedMapsListsAndScalars() {
		Object value = this.ejson.parse("{\"z\":[1,2.5,\"s\",true,null],\"a\":{\"n\":12345678901,"
				+ "\"big\":123456789012345678901234567890}}");
		assertThat(value).isInstanceOf(LinkedHashMap.class);
		Map<?, ?> map = (Map<?, ?>) value;
		assertThat(new ArrayList<Object>(map.keySet())).containsExactly("z", "a");
		assertThat(map.get("z")).isInstanceOf(ArrayList.class).isEqualTo(Arrays.asList(1, 2.5, "s", true, null));
		Map<?, ?> inner = (Map<?, ?>) map.get("a");
		assertThat(inner.get("n")).isEqualTo(12345678901L);
		// As JavaScript reads it: every number is a double (issue 11).
		assertThat(inner.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890").doubleValue());
	}

	@Test
	void specialFormsAreDecodedAtAnyDepth() {
		Object value = this.ejson.parse("{\"a\":[{\"b\":{\"$date\":5}},{\"$binary\":\"AQ==\"}]}");
		List<?> list = (List<?>) ((Map<?, ?>) value).get("a");
		assertThat(((Map<?, ?>) list.get(0)).get("b")).isEqualTo(Instant.ofEpochMilli(5));
		assertThat(list.get(1)).isEqualTo(new byte[] { 1 });
	}

	// 7.2 candidate rule

	@Test
	void objectWithANonDollarKeyIsPlain() {
		assertThat(this.ejson.parse("{\"$date\":1,\"other\":2}")).isEqualTo(orderedMap("$date", 1, "other", 2));
	}

	@Test
	void objectWithExtraDollarKeyIsPlain() {
		assertThat(this.ejson.parse("{\"$date\":1,\"$foo\":2}")).isEqualTo(orderedMap("$date", 1, "$foo", 2));
	}

	@Test
	void membersOfAPlainCandidateAreDecoded() {
		Map<?, ?> map = (Map<?, ?>) this.ejson.parse("{\"$date\":1,\"$foo\":{\"$date\":2}}");
		assertThat(map.get("$date")).isEqualTo(1);
		assertThat(map.get("$foo")).isEqualTo(Instant.ofEpochMilli(2));
		Map<?, ?> three = (Map<?, ?>) this.ejson.parse("{\"$a\":{\"$date\":1},\"$b\":2,\"$c\":{\"$date\":3}}");
		assertThat(three.get("$a")).isEqualTo(Instant.ofEpochMilli(1));
		assertThat(three.get("$c")).isEqualTo(Instant.ofEpochMilli(3));
	}

	@Test
	void specialFormWithWrongKeyCountIsPlain() {
		assertThat(this.ejson.parse("{\"$regexp\":\"a\"}")).isEqualTo(Map.of("$regexp", "a"));
		assertThat(this.ejson.parse("{\"$type\":\"nope\"}")).isEqualTo(Map.of("$type", "nope"));
		assertThat(this.ejson.parse("{\"$value\":1}")).isEqualTo(Map.of("$value", 1));
		assertThat(this.ejson.parse("{\"$binary\":\"AA==\",\"$x\":1}"))
			.isEqualTo(orderedMap("$binary", "AA==", "$x", 1));
		assertThat(this.ejson.parse("{}")).isEqualTo(Map.of());
	}

	// 7.3 escaping

	@Test
	void escapedDateIsReadAsLiteralObject() {
		assertThat(this.ejson.parse("{\"$escape\":{\"$date\":10000}}")).isEqualTo(Map.of("$date", 10000));
	}

	@Test
	void valuesInsideEscapeAreDecoded() {
		assertThat(this.ejson.parse("{\"$escape\":{\"$date\":{\"$date\":32491}}}"))
			.isEqualTo(Map.of("$date", Instant.ofEpochMilli(32491)));
	}

	@Test
	void literalEscapeRoundTrips() {
		Map<String, Object> literal = Map.of("$escape", Map.of("$date", 5));
		String json = this.ejson.stringify(literal);
		assertThat(json).isEqualTo("{\"$escape\":{\"$escape\":{\"$escape\":{\"$date\":5}}}}");
		assertThat(this.ejson.parse(json)).isEqualTo(literal);
		assertThat(this.ejson.fromJson(readTree(json))).isEqualTo(literal);
	}

	@Test
	void escapeWithASecondKeyIsPlainAndItsMembersAreDecoded() {
		assertThat(this.ejson.parse("{\"$escape\":{\"$date\":1},\"x\":1}"))
			.isEqualTo(orderedMap("$escape", Instant.ofEpochMilli(1), "x", 1));
	}

	@Test
	void escapeOfNonObjectFollowsObjectKeys() {
		assertThat(this.ejson.parse("{\"$escape\":\"ab\"}")).isEqualTo(orderedMap("0", "a", "1", "b"));
		assertThat(this.ejson.parse("{\"$escape\":[{\"$date\":1}]}")).isEqualTo(Map.of("0", Instant.ofEpochMilli(1)));
		assertThat(this.ejson.parse("{\"$escape\":5}")).isEqualTo(Map.of());
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse("{\"$escape\":null}"));
		assertThatExceptionOfType(EjsonException.class)
			.isThrownBy(() -> this.ejson.validate(readTree("{\"$escape\":null}")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"$escape\":{\"$date\":10000}}", "{\"$escape\":{\"$date\":{\"$date\":32491}}}",
			"{\"$escape\":{\"$escape\":{\"$escape\":{\"$date\":5}}}}", "{\"$date\":1,\"other\":2}",
			"{\"$date\":1,\"$foo\":{\"$date\":2}}", "[{\"$InfNaN\":-1},{\"$binary\":\"AQI=\"},{\"a\":{\"$date\":7}}]",
			"{\"$regexp\":\"a\",\"$flags\":\"mig\"}",
			"{\"x\":{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}}",
			"{\"$escape\":{\"$type\":\"nope\",\"$value\":1}}" })
	void treeAndTextDecodeAlike(String json) {
		Object fromText = this.ejson.parse(json);
		Object fromTree = this.ejson.fromJson(readTree(json));
		assertThat(Ejson.equals(fromText, fromTree)).isTrue();
		assertThatNoException().isThrownBy(() -> this.ejson.validate(readTree(json)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"$escape\":{\"$date\":10000}}",
			"{\"$escape\":{\"$escape\":{\"$escape\":{\"$date\":5}}}}",
			"{\"a\":{\"$date\":5},\"b\":[{\"$InfNaN\":0},{\"$binary\":\"AQI=\"}],\"c\":{\"$regexp\":\"x\",\"$flags\":\"gi\"}}",
			"{\"$date\":1,\"other\":2}", "{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}" })
	void decodingThenEncodingGivesTheSameText(String json) {
		assertThat(this.ejson.stringify(this.ejson.parse(json))).isEqualTo(json);
	}

	// Errors and validate

	@Test
	void unknownCustomTypeFailsToDecode() {
		String json = "{\"a\":[{\"$type\":\"nope\",\"$value\":1}]}";
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json))
			.withMessage("Custom EJSON type nope is not defined");
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.fromJson(readTree(json)))
			.withMessage("Custom EJSON type nope is not defined");
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)))
			.withMessage("Custom EJSON type nope is not defined");
	}

	@Test
	void unknownCustomTypeFailsToBindInsideRecordsAndMaps() {
		String json = "{\"fields\":{\"x\":{\"$type\":\"nope\",\"$value\":1}}}";
		assertThatExceptionOfType(EjsonException.class)
			.isThrownBy(() -> this.ejson.convert(readTree(json), Holder.class))
			.withMessage("Custom EJSON type nope is not defined");
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.ejson.mapper().readValue(json, Holder.class))
			.withRootCauseInstanceOf(EjsonException.class);
	}

	@Test
	void customTypeWithNonStringNameFailsToDecode() {
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse("{\"$type\":5,\"$value\":1}"))
			.withMessage("Custom EJSON type 5 is not defined");
	}

	@Test
	void customTypeFactoryFailureFailsToDecode() {
		String json = "{\"$type\":\"oid\",\"$value\":\"xyz\"}";
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json))
			.withMessageContaining("oid");
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)))
			.withMessageContaining("oid");
	}

	@ParameterizedTest
	@ValueSource(strings = { "@@@@", "A", "AB=", "A===", "AAAA=", "AA AA", "AA\\nAA", "=AAA", "AA==AA==", "QQ-_" })
	void invalidBase64FailsToDecode(String base64) {
		String json = "{\"data\":{\"$binary\":\"" + base64 + "\"}}";
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json))
			.withMessageStartingWith("Invalid base64 string");
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)))
			.withMessageStartingWith("Invalid base64 string");
	}

	@Test
	void nonStringBinaryFailsToDecode() {
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse("{\"$binary\":5}"));
		assertThatExceptionOfType(EjsonException.class)
			.isThrownBy(() -> this.ejson.validate(readTree("{\"$binary\":5}")));
	}

	@Test
	void base64CheckAgreesWithTheJdkDecoder() {
		String alphabet = "AB+/=z9 -";
		Random random = new Random(42);
		for (int i = 0; i < 20000; i++) {
			StringBuilder candidate = new StringBuilder();
			int length = random.nextInt(9);
			for (int j = 0; j < length; j++) {
				candidate.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			String text = candidate.toString();
			boolean jdkAccepts;
			try {
				Base64.getDecoder().decode(text);
				jdkAccepts = true;
			}
			catch (IllegalArgumentException ex) {
				jdkAccepts = false;
			}
			boolean accepted;
			try {
				EjsonDecoder.requireBase64(text);
				accepted = true;
			}
			catch (EjsonException ex) {
				accepted = false;
			}
			assertThat(accepted).as("'%s'", text).isEqualTo(jdkAccepts);
		}
	}

	@Test
	void validateAcceptsValidEjson() {
		assertThatNoException().isThrownBy(() -> this.ejson.validate(readTree(
				"[1,\"s\",null,{\"$date\":5},{\"$binary\":\"AQI=\"},{\"$InfNaN\":1},{\"$regexp\":\"a\",\"$flags\":\"\"},"
						+ "{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"},{\"$escape\":{\"$binary\":\"!\"}},"
						+ "{\"$type\":\"x\"},{\"$binary\":\"!\",\"y\":1}]")));
	}

	@Test
	void validateChecksValuesInsideEscapeButNotItsKeys() {
		assertThatNoException()
			.isThrownBy(() -> this.ejson.validate(readTree("{\"$escape\":{\"$type\":\"nope\",\"$value\":1}}")));
		assertThatExceptionOfType(EjsonException.class)
			.isThrownBy(() -> this.ejson.validate(readTree("{\"$escape\":{\"a\":{\"$type\":\"nope\",\"$value\":1}}}")));
	}

	@Test
	void validateChecksElementsOfEscapedArrays() {
		String json = "{\"$escape\":[1,{\"$type\":\"nope\",\"$value\":1}]}";
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.parse(json));
		assertThatExceptionOfType(EjsonException.class).isThrownBy(() -> this.ejson.validate(readTree(json)));
	}

	@Test
	void validateAcceptsBinaryNodes() {
		ObjectNode node = JsonNodeFactory.instance.objectNode();
		node.put("$binary", new byte[] { 1, 2 });
		assertThatNoException().isThrownBy(() -> this.ejson.validate(node));
		assertThat(this.ejson.fromJson(node)).isEqualTo(new byte[] { 1, 2 });
	}

	@Test
	void validateFindsErrorsAtAnyDepth() {
		assertThatExceptionOfType(EjsonException.class)
			.isThrownBy(() -> this.ejson.validate(readTree("{\"a\":[1,{\"b\":{\"$binary\":\"!\"}}]}")));
		assertThatExceptionOfType(EjsonException.class).isThrownBy(
				() -> this.ejson.validate(readTree("{\"$date\":1,\"$foo\":{\"$type\":\"nope\",\"$value\":1}}")));
	}

	// Typed binding

	@Test
	void recordFieldsBindFromEjsonForms() {
		String json = "{\"when\":{\"$date\":5},\"date\":{\"$date\":6},\"data\":{\"$binary\":\"AQI=\"},"
				+ "\"primitive\":{\"$InfNaN\":1},\"boxed\":{\"$InfNaN\":0},\"primitiveFloat\":{\"$InfNaN\":-1},"
				+ "\"number\":{\"$InfNaN\":-1},\"pattern\":{\"$regexp\":\"a.c\",\"$flags\":\"i\"},"
				+ "\"regExp\":{\"$regexp\":\"x\",\"$flags\":\"g\"},"
				+ "\"id\":{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"},"
				+ "\"money\":{\"$type\":\"money\",\"$value\":{\"currency\":\"EUR\",\"cents\":1,\"asOf\":{\"$date\":2}}},"
				+ "\"fields\":{\"at\":{\"$date\":7}},\"times\":[{\"$date\":8},9],\"any\":{\"$date\":10},"
				+ "\"doubles\":[1.5,{\"$InfNaN\":1}]}";
		Everything value = this.ejson.mapper().readValue(json, Everything.class);
		assertThat(value.when()).isEqualTo(Instant.ofEpochMilli(5));
		assertThat(value.date()).isEqualTo(new Date(6));
		assertThat(value.data()).containsExactly(1, 2);
		assertThat(value.primitive()).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(value.boxed()).isNaN();
		assertThat(value.primitiveFloat()).isEqualTo(Float.NEGATIVE_INFINITY);
		assertThat(value.number()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(value.pattern().pattern()).isEqualTo("a.c");
		assertThat(value.pattern().flags()).isEqualTo(Pattern.CASE_INSENSITIVE);
		assertThat(value.regExp()).isEqualTo(new EjsonRegExp("x", "g"));
		assertThat(value.id()).isEqualTo(new ObjectId(OID));
		assertThat(value.money()).isEqualTo(new Money("EUR", 1, Instant.ofEpochMilli(2)));
		assertThat(value.fields()).containsExactly(Map.entry("at", Instant.ofEpochMilli(7)));
		assertThat(value.times()).containsExactly(Instant.ofEpochMilli(8), Instant.ofEpochMilli(9));
		assertThat(value.any()).isEqualTo(Instant.ofEpochMilli(10));
		assertThat(value.doubles()).containsExactly(1.5, Double.POSITIVE_INFINITY);
	}

	@Test
	void recordRoundTrips() {
		Everything value = new Everything(Instant.ofEpochMilli(5), new Date(6), new byte[] { 3 }, Double.NaN, -0.5,
				Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Pattern.compile("p", Pattern.MULTILINE),
				new EjsonRegExp("r", "y"), new ObjectId(OID), new Money("USD", 2, Instant.ofEpochMilli(3)),
				Map.of("$date", 1), List.of(Instant.ofEpochMilli(4)), Map.of("$binary", "AA=="),
				new double[] { Double.NaN });
		Everything read = this.ejson.mapper().readValue(this.ejson.stringify(value), Everything.class);
		assertThat(read.when()).isEqualTo(value.when());
		assertThat(read.date()).isEqualTo(value.date());
		assertThat(read.data()).isEqualTo(value.data());
		assertThat(read.primitive()).isNaN();
		assertThat(read.boxed()).isEqualTo(-0.5);
		assertThat(read.primitiveFloat()).isEqualTo(Float.POSITIVE_INFINITY);
		assertThat(read.number()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(read.pattern().pattern()).isEqualTo("p");
		assertThat(read.pattern().flags()).isEqualTo(Pattern.MULTILINE);
		assertThat(read.regExp()).isEqualTo(value.regExp());
		assertThat(read.id()).isEqualTo(value.id());
		assertThat(read.money()).isEqualTo(value.money());
		assertThat(read.fields()).isEqualTo(Map.of("$date", 1));
		assertThat(read.times()).isEqualTo(value.times());
		assertThat(read.any()).isEqualTo(Map.of("$binary", "AA=="));
		assertThat(read.doubles()).hasSize(1);
		assertThat(read.doubles()[0]).isNaN();
	}

	@Test
	void instantBindsFromEpochMillisAndIsoText() {
		assertThat(this.ejson.mapper().readValue("1700000000123", Instant.class))
			.isEqualTo(Instant.ofEpochMilli(1700000000123L));
		assertThat(this.ejson.mapper().readValue("\"2020-01-02T03:04:05Z\"", Instant.class))
			.isEqualTo(Instant.parse("2020-01-02T03:04:05Z"));
		assertThat(this.ejson.mapper().readValue("12", Date.class)).isEqualTo(new Date(12));
		assertThat(this.ejson.mapper().readValue("{\"when\":{\"$date\":5}}", When.class))
			.isEqualTo(new When(Instant.ofEpochMilli(5)));
		assertThat(this.ejson.mapper().readValue("{\"when\":5}", When.class))
			.isEqualTo(new When(Instant.ofEpochMilli(5)));
	}

	@Test
	void genericListsBindFromEjsonForms() {
		JsonNode tree = readTree("[{\"$date\":5},{\"$date\":6}]");
		List<Instant> instants = this.ejson.convert(tree,
				this.ejson.mapper().getTypeFactory().constructCollectionType(List.class, Instant.class));
		assertThat(instants).containsExactly(Instant.ofEpochMilli(5), Instant.ofEpochMilli(6));
		List<Instant> viaReference = this.ejson.mapper()
			.readValue("[{\"$date\":7}]", new TypeReference<List<Instant>>() {
			});
		assertThat(viaReference).containsExactly(Instant.ofEpochMilli(7));
		Map<String, byte[]> binaries = this.ejson.mapper()
			.readValue("{\"a\":{\"$binary\":\"AQ==\"}}", new TypeReference<Map<String, byte[]>>() {
			});
		assertThat(binaries.get("a")).containsExactly(1);
	}

	@Test
	void typedMapUnwrapsEscape() {
		Map<String, Object> map = this.ejson.mapper()
			.readValue("{\"$escape\":{\"$date\":{\"$date\":5}}}", new TypeReference<Map<String, Object>>() {
			});
		assertThat(map).containsExactly(Map.entry("$date", Instant.ofEpochMilli(5)));
		Map<String, Object> notEscaped = this.ejson.mapper()
			.readValue("{\"$escape\":{\"$date\":5},\"b\":{\"$date\":6}}", new TypeReference<Map<String, Object>>() {
			});
		assertThat(notEscaped).containsExactly(Map.entry("$escape", Instant.ofEpochMilli(5)),
				Map.entry("b", Instant.ofEpochMilli(6)));
	}

	@Test
	void convertBindsTreeToRecord() {
		When when = this.ejson.convert(readTree("{\"when\":{\"$date\":5}}"), When.class);
		assertThat(when).isEqualTo(new When(Instant.ofEpochMilli(5)));
	}

	@Test
	void objectIdBindsFromHexStringToo() {
		assertThat(this.ejson.mapper().readValue("\"507f1f77bcf86cd799439011\"", ObjectId.class))
			.isEqualTo(new ObjectId(OID));
	}

	@Test
	void mismatchedEjsonFormFailsToBind() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.ejson.mapper().readValue("{\"when\":{\"$binary\":\"AA==\"}}", When.class));
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.ejson.mapper().readValue("{\"$date\":5}", Double.class));
	}

	// 7.6 canonical stringify

	@Test
	void canonicalStringifySortsKeysRecursively() {
		Map<String, Object> value = orderedMap("b", 1, "a", orderedMap("d", 2, "c", 3));
		assertThat(this.ejson.stringify(value, true)).isEqualTo("{\"a\":{\"c\":3,\"d\":2},\"b\":1}");
		assertThat(this.ejson.stringify(value, false)).isEqualTo("{\"b\":1,\"a\":{\"d\":2,\"c\":3}}");
		assertThat(this.ejson.stringify(value)).isEqualTo("{\"b\":1,\"a\":{\"d\":2,\"c\":3}}");
	}

	@Test
	void canonicalStringifyKeepsArrayOrderAndSortsEjsonForms() {
		Map<String, Object> value = orderedMap("z", List.of(3, orderedMap("y", 1, "x", 2), 1), "r",
				new EjsonRegExp("a", "g"));
		assertThat(this.ejson.stringify(value, true))
			.isEqualTo("{\"r\":{\"$flags\":\"g\",\"$regexp\":\"a\"},\"z\":[3,{\"x\":2,\"y\":1},1]}");
	}

	@Test
	void serializersAddedToTheModuleOverrideTheEjsonOnes() {
		EjsonModule module = new EjsonModule(EjsonTypeRegistry.withDefaults());
		module.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {

			@Override
			public void serialize(Instant value, JsonGenerator gen, SerializationContext ctxt) {
				gen.writeString(value.toString());
			}

		});
		JsonMapper mapper = JsonMapper.builder().addModule(module).build();
		assertThat(mapper.writeValueAsString(Instant.EPOCH)).isEqualTo("\"1970-01-01T00:00:00Z\"");
		assertThat(mapper.writeValueAsString(new Date(1))).isEqualTo("{\"$date\":1}");
	}

	// Construction

	@Test
	void createDefaultKnowsObjectIds() {
		Ejson defaults = Ejson.createDefault();
		assertThat(defaults.types().find("oid")).isNotNull();
		assertThat(defaults.parse("{\"$type\":\"oid\",\"$value\":\"507f1f77bcf86cd799439011\"}"))
			.isEqualTo(new ObjectId(OID));
		assertThat(defaults.stringify(Instant.ofEpochMilli(1))).isEqualTo("{\"$date\":1}");
	}

	@Test
	void mapperWithoutModuleIsRebuiltKeepingItsConfiguration() {
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Ejson rebuilt = new Ejson(mapper);
		assertThat(rebuilt.mapper()).isNotSameAs(mapper);
		assertThat(rebuilt.mapper().registeredModules()).hasAtLeastOneElementOfType(EjsonModule.class);
		assertThat(rebuilt.stringify(Map.of("a", Instant.ofEpochMilli(1)))).contains("\"$date\" : 1").contains("\n");
		assertThat(rebuilt.types().find("oid")).isNotNull();
	}

	@Test
	void mapperWithModuleIsUsedAsItIs() {
		EjsonTypeRegistry types = new EjsonTypeRegistry();
		types.register(Money.TYPE);
		JsonMapper mapper = JsonMapper.builder().addModule(new EjsonModule(types)).build();
		Ejson existing = new Ejson(mapper);
		assertThat(existing.mapper()).isSameAs(mapper);
		assertThat(existing.types()).isSameAs(types);
	}

	@Test
	void explicitTypesReplaceAnExistingModule() {
		JsonMapper mapper = JsonMapper.builder().addModule(new EjsonModule(new EjsonTypeRegistry())).build();
		EjsonTypeRegistry types = EjsonTypeRegistry.withDefaults();
		types.register(Money.TYPE);
		Ejson replaced = new Ejson(mapper, types);
		assertThat(replaced.types()).isSameAs(types);
		assertThat(replaced.mapper().registeredModules().stream().filter(EjsonModule.class::isInstance)).hasSize(1);
		assertThat(replaced.parse("{\"$type\":\"money\",\"$value\":{\"currency\":\"EUR\",\"cents\":1,\"asOf\":null}}"))
			.isEqualTo(new Money("EUR", 1, null));
	}

	private static JsonNode readTree(String json) {
		return JsonMapper.shared().readTree(json);
	}

	private static Map<String, Object> orderedMap(Object... keysAndValues) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	record Numbers(double primitive, Double boxed, float primitiveFloat, Number number) {
	}

	record Holder(Map<String, Object> fields) {
	}

	record Priced(Money price) {
	}

	record When(Instant when) {
	}

	record Everything(Instant when, Date date, byte[] data, double primitive, Double boxed, float primitiveFloat,
			Number number, Pattern pattern, EjsonRegExp regExp, ObjectId id, Money money, Map<String, Object> fields,
			List<Instant> times, @Nullable Object any, double[] doubles) {
	}

}
