package io.ddp.spring.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Ejson#equals(Object, Object)} and {@link Ejson#clone(Object)} (section
 * 7.5).
 */
class EjsonEqualityTests {

	@Test
	void numbersCompareByValueAcrossTypes() {
		assertThat(Ejson.equals(1, 1.0)).isTrue();
		assertThat(Ejson.equals(1L, 1)).isTrue();
		assertThat(Ejson.equals((short) 3, 3L)).isTrue();
		assertThat(Ejson.equals(new BigDecimal("2.50"), 2.5)).isTrue();
		assertThat(Ejson.equals(new BigInteger("12345678901"), 12345678901L)).isTrue();
		assertThat(Ejson.equals(0.0, -0.0)).isTrue();
		assertThat(Ejson.equals(1, 2)).isFalse();
		assertThat(Ejson.equals(1, 1.5)).isFalse();
		assertThat(Ejson.equals(9007199254740993L, 9007199254740992.0)).isFalse();
		assertThat(Ejson.equals(new BigDecimal("0.1"), 0.1)).isFalse();
		assertThat(Ejson.equals(1, "1")).isFalse();
	}

	@Test
	void nanEqualsNan() {
		assertThat(Ejson.equals(Double.NaN, Double.NaN)).isTrue();
		assertThat(Ejson.equals(Double.NaN, Float.NaN)).isTrue();
		assertThat(Ejson.equals(Double.NaN, 0)).isFalse();
		assertThat(Ejson.equals(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY)).isTrue();
		assertThat(Ejson.equals(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)).isFalse();
		assertThat(Ejson.equals(Double.POSITIVE_INFINITY, Long.MAX_VALUE)).isFalse();
	}

	@Test
	void datesCompareByEpochMillis() {
		assertThat(Ejson.equals(Instant.ofEpochMilli(5), Instant.ofEpochMilli(5))).isTrue();
		assertThat(Ejson.equals(Instant.ofEpochMilli(5), new Date(5))).isTrue();
		assertThat(Ejson.equals(new Date(5), Instant.ofEpochMilli(5))).isTrue();
		assertThat(Ejson.equals(Instant.ofEpochMilli(5).plusNanos(10), Instant.ofEpochMilli(5))).isTrue();
		assertThat(Ejson.equals(Instant.ofEpochMilli(5), Instant.ofEpochMilli(6))).isFalse();
		assertThat(Ejson.equals(Instant.ofEpochMilli(5), 5)).isFalse();
	}

	@Test
	void binariesCompareByteWise() {
		assertThat(Ejson.equals(new byte[] { 1, 2 }, new byte[] { 1, 2 })).isTrue();
		assertThat(Ejson.equals(new byte[] { 1, 2 }, new byte[] { 1, 3 })).isFalse();
		assertThat(Ejson.equals(new byte[] { 1 }, new byte[] { 1, 0 })).isFalse();
	}

	@Test
	void regularExpressionsCompareBySourceAndFlags() {
		assertThat(Ejson.equals(new EjsonRegExp("a", "i"), new EjsonRegExp("a", "i"))).isTrue();
		assertThat(Ejson.equals(new EjsonRegExp("a", "i"), new EjsonRegExp("a", "g"))).isFalse();
		assertThat(Ejson.equals(Pattern.compile("a", Pattern.CASE_INSENSITIVE), new EjsonRegExp("a", "i"))).isTrue();
		assertThat(Ejson.equals(Pattern.compile("a"), Pattern.compile("b"))).isFalse();
	}

	@Test
	void mapsIgnoreKeyOrderAndCompareValuesDeeply() {
		Map<String, Object> first = new LinkedHashMap<>();
		first.put("a", 1);
		first.put("b", List.of(Instant.ofEpochMilli(1), new byte[] { 7 }));
		Map<String, Object> second = new LinkedHashMap<>();
		second.put("b", List.of(new Date(1), new byte[] { 7 }));
		second.put("a", 1.0);
		assertThat(Ejson.equals(first, second)).isTrue();
		second.put("a", 2);
		assertThat(Ejson.equals(first, second)).isFalse();
	}

	@Test
	void nullValueDiffersFromMissingKey() {
		Map<String, Object> withNull = new HashMap<>();
		withNull.put("a", null);
		assertThat(Ejson.equals(withNull, Map.of())).isFalse();
		assertThat(Ejson.equals(withNull, Map.of("b", 1))).isFalse();
		Map<String, Object> otherNull = new HashMap<>();
		otherNull.put("a", null);
		assertThat(Ejson.equals(withNull, otherNull)).isTrue();
	}

	@Test
	void listsCompareElementWise() {
		assertThat(Ejson.equals(List.of(1, 2), Arrays.asList(1.0, 2L))).isTrue();
		assertThat(Ejson.equals(List.of(1, 2), List.of(2, 1))).isFalse();
		assertThat(Ejson.equals(List.of(1), List.of(1, 2))).isFalse();
		assertThat(Ejson.equals(List.of(), Map.of())).isFalse();
	}

	@Test
	void nullsAndOtherObjects() {
		assertThat(Ejson.equals(null, null)).isTrue();
		assertThat(Ejson.equals(null, 0)).isFalse();
		assertThat(Ejson.equals("a", null)).isFalse();
		assertThat(Ejson.equals(true, true)).isTrue();
		assertThat(Ejson.equals(true, 1)).isFalse();
		assertThat(Ejson.equals(new ObjectId("507f1f77bcf86cd799439011"), new ObjectId("507f1f77bcf86cd799439011")))
			.isTrue();
		assertThat(Ejson.equals(new ObjectId("507f1f77bcf86cd799439011"), "507f1f77bcf86cd799439011")).isFalse();
	}

	@Test
	void jsonNodesAreComparedAfterDecoding() {
		JsonNode node = JsonMapper.shared().readTree("{\"b\":{\"$date\":5},\"a\":[1.0,{\"$InfNaN\":0}]}");
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("a", List.of(1, Double.NaN));
		value.put("b", Instant.ofEpochMilli(5));
		assertThat(Ejson.equals(node, value)).isTrue();
		assertThat(Ejson.equals(value, node)).isTrue();
		assertThat(Ejson.equals(node, JsonMapper.shared().readTree("{\"a\":[1,{\"$InfNaN\":0}],\"b\":{\"$date\":5}}")))
			.isTrue();
		assertThat(Ejson.equals(JsonMapper.shared().readTree("null"), null)).isTrue();
		assertThat(Ejson.equals(JsonMapper.shared().readTree("{\"$type\":\"nope\",\"$value\":1}"),
				JsonMapper.shared().readTree("{\"$value\":1,\"$type\":\"nope\"}")))
			.isTrue();
	}

	@Test
	void cloneCopiesMapsAndListsDeeplyKeepingOrder() {
		Map<String, Object> inner = new LinkedHashMap<>();
		inner.put("y", 1);
		inner.put("x", 2);
		List<Object> list = new ArrayList<>(List.of(1, inner));
		Map<String, Object> original = new LinkedHashMap<>();
		original.put("z", list);
		original.put("a", "s");
		@SuppressWarnings("unchecked")
		Map<String, Object> copy = (Map<String, Object>) Ejson.clone(original);
		assertThat(copy).isInstanceOf(LinkedHashMap.class).isEqualTo(original).isNotSameAs(original);
		assertThat(new ArrayList<>(copy.keySet())).containsExactly("z", "a");
		List<?> copiedList = (List<?>) copy.get("z");
		assertThat(copiedList).isInstanceOf(ArrayList.class).isNotSameAs(list);
		@SuppressWarnings("unchecked")
		Map<String, Object> copiedInner = (Map<String, Object>) copiedList.get(1);
		assertThat(new ArrayList<>(copiedInner.keySet())).containsExactly("y", "x");
		inner.put("w", 3);
		list.add(4);
		original.put("b", true);
		assertThat(copiedInner).doesNotContainKey("w");
		assertThat(copiedList).hasSize(2);
		assertThat(copy).doesNotContainKey("b");
	}

	@Test
	void cloneCopiesBinariesAndDates() {
		byte[] bytes = { 1, 2 };
		byte[] copiedBytes = (byte[]) Ejson.clone(bytes);
		bytes[0] = 9;
		assertThat(copiedBytes).containsExactly(1, 2);
		Date date = new Date(5);
		Date copiedDate = (Date) Ejson.clone(date);
		date.setTime(6);
		assertThat(copiedDate).isEqualTo(new Date(5));
	}

	@Test
	void cloneSharesImmutableValues() {
		Instant instant = Instant.ofEpochMilli(1);
		EjsonRegExp regExp = new EjsonRegExp("a", "g");
		ObjectId id = new ObjectId("507f1f77bcf86cd799439011");
		String string = "s";
		assertThat(Ejson.clone(instant)).isSameAs(instant);
		assertThat(Ejson.clone(regExp)).isSameAs(regExp);
		assertThat(Ejson.clone(id)).isSameAs(id);
		assertThat(Ejson.clone(string)).isSameAs(string);
		assertThat(Ejson.clone(null)).isNull();
	}

	@Test
	void clonedValueIsEjsonEqual() {
		Map<String, Object> original = new LinkedHashMap<>();
		original.put("when", new Date(3));
		original.put("data", new byte[] { 1 });
		original.put("nan", Double.NaN);
		assertThat(Ejson.equals(Ejson.clone(original), original)).isTrue();
	}

}
