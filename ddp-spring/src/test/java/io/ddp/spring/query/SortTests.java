package io.ddp.spring.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Sort}, {@link Fields} and {@link DdpQuery}.
 */
class SortTests {

	private final Ejson ejson = Ejson.createDefault();

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> doc(String json) {
		return (Map<String, @Nullable Object>) this.ejson.parse(json);
	}

	private List<Object> ids(List<Map<String, @Nullable Object>> documents) {
		List<Object> ids = new ArrayList<>();
		documents.forEach((document) -> ids.add(document.get("_id")));
		return ids;
	}

	@Test
	void mixedTypesFollowMinimongosOrder() {
		List<Map<String, @Nullable Object>> documents = new ArrayList<>();
		documents.add(doc("{\"_id\":\"date\",\"v\":{\"$date\":0}}"));
		documents.add(doc("{\"_id\":\"bool\",\"v\":true}"));
		documents.add(doc("{\"_id\":\"array\",\"v\":[[1]]}"));
		documents.add(doc("{\"_id\":\"object\",\"v\":{\"x\":1}}"));
		documents.add(doc("{\"_id\":\"string\",\"v\":\"s\"}"));
		documents.add(doc("{\"_id\":\"number\",\"v\":10}"));
		documents.add(doc("{\"_id\":\"null\",\"v\":null}"));
		documents.add(doc("{\"_id\":\"missing\"}"));
		documents.add(doc("{\"_id\":\"binary\",\"v\":{\"$binary\":\"AQI=\"}}"));
		List<Map<String, @Nullable Object>> sorted = DdpQuery.all().sort(Sort.by("v")).select(documents);
		assertThat(ids(sorted)).containsExactly("missing", "null", "number", "string", "object", "array", "binary",
				"bool", "date");
	}

	@Test
	void arraysSortByTheirMinAscendingAndMaxDescending() {
		List<Map<String, @Nullable Object>> documents = List.of(doc("{\"_id\":\"a\",\"v\":[1,9]}"),
				doc("{\"_id\":\"b\",\"v\":5}"), doc("{\"_id\":\"c\",\"v\":[3,4]}"));
		assertThat(ids(DdpQuery.all().sort(Sort.by("v")).select(documents))).containsExactly("a", "c", "b");
		assertThat(ids(DdpQuery.all().sort(Sort.by("v").descending()).select(documents))).containsExactly("a", "b",
				"c");
	}

	@Test
	void severalKeysThenIdBreakTies() {
		List<Map<String, @Nullable Object>> documents = List.of(doc("{\"_id\":\"d\",\"a\":1,\"b\":\"x\"}"),
				doc("{\"_id\":\"c\",\"a\":1,\"b\":\"x\"}"), doc("{\"_id\":\"b\",\"a\":2,\"b\":\"a\"}"),
				doc("{\"_id\":\"a\",\"a\":1,\"b\":\"y\"}"));
		Sort sort = Sort.by("a").descending().and("b");
		assertThat(ids(DdpQuery.all().sort(sort).select(documents))).containsExactly("b", "c", "d", "a");
		assertThat(sort).isEqualTo(Sort.by(Sort.Order.desc("a"), Sort.Order.asc("b")));
	}

	@Test
	void parsesMeteorForms() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("createdAt", -1);
		map.put("title", 1);
		Sort expected = Sort.by(Sort.Order.desc("createdAt"), Sort.Order.asc("title"));
		assertThat(Sort.parse(map)).isEqualTo(expected);
		assertThat(Sort.parse(List.of(List.of("createdAt", "desc"), List.of("title", "asc")))).isEqualTo(expected);
		assertThat(Sort.parse(List.of(List.of("createdAt", "desc"), "title"))).isEqualTo(expected);
		assertThatIllegalArgumentException().isThrownBy(() -> Sort.parse(5));
	}

	@Test
	void queriesSkipAndLimitAfterSorting() {
		List<Map<String, @Nullable Object>> documents = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			documents.add(doc("{\"_id\":\"" + i + "\",\"n\":" + i + ",\"even\":" + (i % 2 == 0) + "}"));
		}
		DdpQuery query = DdpQuery.parse(Map.of("even", true),
				Map.of("sort", Map.of("n", -1), "skip", 1, "limit", 2, "fields", Map.of("n", 1)));
		assertThat(ids(query.select(documents))).containsExactly("6", "4");
		assertThat(query).isEqualTo(DdpQuery.where(Criteria.where("even").is(true))
			.sort(Sort.by("n").descending())
			.skip(1)
			.limit(2)
			.include("n"));
		assertThat(query.fields().apply(documents.get(3))).isEqualTo(Map.of("_id", "3", "n", 3));
	}

	@Test
	void fieldsProjectDottedPaths() {
		Map<String, @Nullable Object> document = doc(
				"{\"_id\":\"x\",\"a\":{\"b\":1,\"c\":2},\"list\":[{\"b\":1,\"c\":2},{\"c\":3}],\"d\":4}");
		assertThat(Fields.include("a.b", "list.c").apply(document))
			.isEqualTo(doc("{\"_id\":\"x\",\"a\":{\"b\":1},\"list\":[{\"c\":2},{\"c\":3}]}"));
		assertThat(Fields.exclude("a.b", "list.c", "d").apply(document))
			.isEqualTo(doc("{\"_id\":\"x\",\"a\":{\"c\":2},\"list\":[{\"b\":1},{}]}"));
		assertThat(document).containsKey("d");
		assertThatIllegalArgumentException().isThrownBy(() -> Fields.parse(Map.of("a", 1, "b", 0)))
			.withMessage("You cannot currently mix including and excluding fields.");
		assertThat(Fields.parse(Map.of("a", 1, "_id", 0))).isEqualTo(Fields.include("a"));
	}

	@Test
	void fieldsProjectListsElementByElementAsMinimongoDoes() {
		Map<String, @Nullable Object> document = doc("{\"_id\":\"x\",\"a\":[{\"b\":1,\"c\":2},7,[{\"b\":8,\"c\":9}]]}");
		// an element that is not a document becomes {} when including, and is kept when
		// excluding; a list inside the list is projected too
		assertThat(Fields.include("a.b").apply(document))
			.isEqualTo(doc("{\"_id\":\"x\",\"a\":[{\"b\":1},{},[{\"b\":8}]]}"));
		assertThat(Fields.exclude("a.b").apply(document))
			.isEqualTo(doc("{\"_id\":\"x\",\"a\":[{\"c\":2},7,[{\"c\":9}]]}"));
		// a field kept whole covers its sub-fields
		assertThat(Fields.include("a", "a.b").apply(document)).isEqualTo(document);
	}

	@Test
	void datesSortByTime() {
		Map<String, @Nullable Object> early = new LinkedHashMap<>();
		early.put("_id", "early");
		early.put("at", Instant.ofEpochMilli(1));
		Map<String, @Nullable Object> late = new LinkedHashMap<>();
		late.put("_id", "late");
		late.put("at", Instant.ofEpochMilli(2));
		assertThat(Sort.by("at").descending().compare(early, late)).isPositive();
	}

}
