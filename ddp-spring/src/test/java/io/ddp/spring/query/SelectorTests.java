package io.ddp.spring.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link Selector}: Meteor JSON selectors parsed and matched as Minimongo does.
 */
class SelectorTests {

	private final Ejson ejson = Ejson.createDefault();

	private Map<String, @Nullable Object> doc(String json) {
		@SuppressWarnings("unchecked")
		Map<String, @Nullable Object> map = (Map<String, @Nullable Object>) this.ejson.parse(json);
		return map;
	}

	private boolean matches(String selector, String document) {
		return Selector.parse(doc(selector)).matches(doc(document));
	}

	@Test
	void equalityOnFieldsAndSubDocuments() {
		assertThat(matches("{\"a\":1}", "{\"a\":1.0}")).isTrue();
		assertThat(matches("{\"a\":1}", "{\"a\":2}")).isFalse();
		assertThat(matches("{\"a\":{\"b\":1,\"c\":2}}", "{\"a\":{\"c\":2,\"b\":1}}")).isTrue();
		assertThat(matches("{\"a\":{\"b\":1}}", "{\"a\":{\"b\":1,\"c\":2}}")).isFalse();
		assertThat(matches("{\"a\":\"x\",\"b\":true}", "{\"a\":\"x\",\"b\":true}")).isTrue();
		assertThat(matches("{\"a\":\"x\",\"b\":true}", "{\"a\":\"x\",\"b\":false}")).isFalse();
		assertThat(matches("{}", "{\"a\":1}")).isTrue();
	}

	@Test
	void nullMatchesMissingAndNull() {
		assertThat(matches("{\"a\":null}", "{}")).isTrue();
		assertThat(matches("{\"a\":null}", "{\"a\":null}")).isTrue();
		assertThat(matches("{\"a\":null}", "{\"a\":0}")).isFalse();
		assertThat(matches("{\"a\":{\"$ne\":null}}", "{}")).isFalse();
		assertThat(matches("{\"a\":{\"$ne\":null}}", "{\"a\":false}")).isTrue();
	}

	@Test
	void arraysMatchWhenAnElementDoes() {
		assertThat(matches("{\"tags\":\"x\"}", "{\"tags\":[\"y\",\"x\"]}")).isTrue();
		assertThat(matches("{\"tags\":[\"y\",\"x\"]}", "{\"tags\":[\"y\",\"x\"]}")).isTrue();
		assertThat(matches("{\"tags\":[\"x\",\"y\"]}", "{\"tags\":[\"y\",\"x\"]}")).isFalse();
		assertThat(matches("{\"n\":{\"$gt\":5}}", "{\"n\":[1,7]}")).isTrue();
		assertThat(matches("{\"n\":{\"$gt\":5}}", "{\"n\":[1,2]}")).isFalse();
		assertThat(matches("{\"tags\":{\"$ne\":\"x\"}}", "{\"tags\":[\"y\",\"x\"]}")).isFalse();
		assertThat(matches("{\"tags\":{\"$nin\":[\"z\"]}}", "{\"tags\":[\"y\",\"x\"]}")).isTrue();
	}

	@Test
	void dottedPathsLookIntoSubDocumentsAndArrays() {
		assertThat(matches("{\"a.b\":1}", "{\"a\":{\"b\":1}}")).isTrue();
		assertThat(matches("{\"a.b\":1}", "{\"a\":[{\"b\":2},{\"b\":1}]}")).isTrue();
		assertThat(matches("{\"a.b\":3}", "{\"a\":[{\"b\":2},{\"b\":1}]}")).isFalse();
		assertThat(matches("{\"a.1\":\"y\"}", "{\"a\":[\"x\",\"y\"]}")).isTrue();
		assertThat(matches("{\"a.0.b\":2}", "{\"a\":[{\"b\":2},{\"b\":1}]}")).isTrue();
		assertThat(matches("{\"a.0.b\":1}", "{\"a\":[{\"b\":2},{\"b\":1}]}")).isFalse();
		assertThat(matches("{\"a.b\":null}", "{\"a\":5}")).isTrue();
		assertThat(matches("{\"a.b.c\":{\"$exists\":true}}", "{\"a\":{\"b\":{\"c\":null}}}")).isTrue();
	}

	@Test
	void comparisonsOnlyMatchTheOperandsType() {
		assertThat(matches("{\"a\":{\"$gt\":1,\"$lte\":3}}", "{\"a\":3}")).isTrue();
		assertThat(matches("{\"a\":{\"$gt\":1,\"$lte\":3}}", "{\"a\":1}")).isFalse();
		assertThat(matches("{\"a\":{\"$gt\":1}}", "{\"a\":\"5\"}")).isFalse();
		assertThat(matches("{\"a\":{\"$lt\":\"b\"}}", "{\"a\":\"a\"}")).isTrue();
		assertThat(matches("{\"a\":{\"$gte\":{\"$date\":1000}}}", "{\"a\":{\"$date\":2000}}")).isTrue();
		assertThat(matches("{\"a\":{\"$lt\":{\"$date\":1000}}}", "{\"a\":{\"$date\":2000}}")).isFalse();
		assertThat(matches("{\"a\":{\"$lt\":5}}", "{}")).isFalse();
	}

	@Test
	void setOperatorsAndExists() {
		assertThat(matches("{\"a\":{\"$in\":[1,2]}}", "{\"a\":2}")).isTrue();
		assertThat(matches("{\"a\":{\"$in\":[1,2]}}", "{\"a\":3}")).isFalse();
		assertThat(matches("{\"a\":{\"$in\":[null]}}", "{}")).isTrue();
		assertThat(matches("{\"a\":{\"$nin\":[1,2]}}", "{}")).isTrue();
		assertThat(matches("{\"a\":{\"$exists\":false}}", "{}")).isTrue();
		assertThat(matches("{\"a\":{\"$exists\":false}}", "{\"a\":null}")).isFalse();
		assertThat(matches("{\"a\":{\"$exists\":1}}", "{\"a\":null}")).isTrue();
	}

	@Test
	void logicalOperators() {
		String or = "{\"$or\":[{\"a\":1},{\"b\":2}]}";
		assertThat(matches(or, "{\"b\":2}")).isTrue();
		assertThat(matches(or, "{\"a\":2}")).isFalse();
		assertThat(matches("{\"$and\":[{\"a\":1},{\"b\":2}]}", "{\"a\":1,\"b\":2}")).isTrue();
		assertThat(matches("{\"$and\":[{\"a\":1},{\"b\":2}]}", "{\"a\":1}")).isFalse();
		assertThat(matches("{\"$nor\":[{\"a\":1},{\"b\":2}]}", "{\"a\":3}")).isTrue();
		assertThat(matches("{\"$nor\":[{\"a\":1},{\"b\":2}]}", "{\"b\":2}")).isFalse();
		assertThat(matches("{\"a\":{\"$not\":{\"$gt\":5}}}", "{\"a\":3}")).isTrue();
		assertThat(matches("{\"a\":{\"$not\":{\"$gt\":5}}}", "{}")).isTrue();
		assertThat(matches("{\"a\":{\"$not\":{\"$gt\":5}}}", "{\"a\":6}")).isFalse();
	}

	@Test
	void idSelectors() {
		Map<String, @Nullable Object> document = doc("{\"_id\":\"abc\",\"a\":1}");
		assertThat(Selector.parse("abc").matches(document)).isTrue();
		assertThat(Selector.parse("abd").matches(document)).isFalse();
		assertThat(Selector.parse(null).matches(document)).isFalse();
		assertThat(Selector.parse(doc("{\"_id\":null}")).matches(document)).isFalse();
		assertThat(Selector.parse(doc("{\"_id\":{\"$in\":[\"abc\",\"x\"]}}")).matches(document)).isTrue();
	}

	@Test
	void equalSelectorsAreEqualWhateverTheirFormOrOrder() {
		Selector a = Selector.parse(doc("{\"a\":1,\"b\":{\"$gt\":2.0}}"));
		Map<String, Object> reordered = new LinkedHashMap<>();
		reordered.put("b", Map.of("$gt", 2));
		reordered.put("a", 1L);
		assertThat(Selector.parse(reordered)).isEqualTo(a).hasSameHashCodeAs(a);
		assertThat(Criteria.where("b").gt(2).and("a").is(1).selector()).isEqualTo(a);
		assertThat(Selector.parse(doc("{\"a\":{\"$ne\":1}}")))
			.isEqualTo(Selector.parse(doc("{\"a\":{\"$not\":{\"$eq\":1}}}")));
		assertThat(Selector.parse(doc("{\"a\":2}"))).isNotEqualTo(a);
	}

	@Test
	void datesAsInstantsAndEjsonObjectsAreEqual() {
		Selector parsed = Selector.parse(doc("{\"at\":{\"$date\":5}}"));
		assertThat(parsed).isEqualTo(Criteria.where("at").is(Instant.ofEpochMilli(5)).selector());
		Map<String, Object> document = new HashMap<>();
		document.put("at", Instant.ofEpochMilli(5));
		assertThat(parsed.matches(document)).isTrue();
	}

	@Test
	void regularExpressionsMatchStringsAndTheSameExpression() {
		assertThat(matches("{\"s\":{\"$regex\":\"^ab\"}}", "{\"s\":\"abc\"}")).isTrue();
		assertThat(matches("{\"s\":{\"$regex\":\"^ab\"}}", "{\"s\":\"cab\"}")).isFalse();
		assertThat(matches("{\"s\":{\"$regex\":\"^AB\",\"$options\":\"i\"}}", "{\"s\":\"abc\"}")).isTrue();
		assertThat(matches("{\"s\":{\"$regex\":\"É\",\"$options\":\"i\"}}", "{\"s\":\"café\"}")).isTrue();
		// an EJSON regular expression as the value, in $in and under $not
		assertThat(matches("{\"s\":{\"$regexp\":\"b+\",\"$flags\":\"\"}}", "{\"s\":[\"x\",\"abb\"]}")).isTrue();
		assertThat(matches("{\"s\":{\"$in\":[{\"$regexp\":\"^z\",\"$flags\":\"\"},\"abc\"]}}", "{\"s\":\"zed\"}"))
			.isTrue();
		assertThat(matches("{\"s\":{\"$not\":{\"$regexp\":\"b\",\"$flags\":\"\"}}}", "{\"s\":\"abc\"}")).isFalse();
		assertThat(matches("{\"s\":{\"$not\":{\"$regexp\":\"b\",\"$flags\":\"\"}}}", "{}")).isTrue();
		// only strings, and a stored regular expression equal to the operand
		assertThat(matches("{\"n\":{\"$regex\":\"1\"}}", "{\"n\":1}")).isFalse();
		assertThat(matches("{\"r\":{\"$regex\":\"a\",\"$options\":\"mi\"}}",
				"{\"r\":{\"$regexp\":\"a\",\"$flags\":\"im\"}}"))
			.isTrue();
		// $options replace the flags of a regular expression operand
		Selector replaced = Selector
			.parse(Map.of("s", Map.of("$regex", Pattern.compile("A", Pattern.CASE_INSENSITIVE), "$options", "")));
		assertThat(replaced.matches(Map.of("s", "a"))).isFalse();
		assertThat(replaced.matches(Map.of("s", "A"))).isTrue();
		assertThat(Selector.parse(doc("{\"s\":{\"$regex\":\"a\"}}")))
			.isEqualTo(Selector.parse(doc("{\"s\":{\"$regexp\":\"a\",\"$flags\":\"\"}}")));
	}

	@Test
	void aListPickedByPositionIsMatchedWhole() {
		assertThat(matches("{\"a.0\":1}", "{\"a\":[[1,2],3]}")).isFalse();
		assertThat(matches("{\"a.0\":[1,2]}", "{\"a\":[[1,2],3]}")).isTrue();
		assertThat(matches("{\"a.0\":{\"$size\":2}}", "{\"a\":[[1,2],3]}")).isTrue();
		assertThat(matches("{\"a.0\":{\"$elemMatch\":{\"$gt\":1}}}", "{\"a\":[[1,2],3]}")).isTrue();
		assertThat(matches("{\"a.1\":3}", "{\"a\":[[1,2],3]}")).isTrue();
		assertThat(matches("{\"a\":1}", "{\"a\":[1,2]}")).isTrue();
	}

	@Test
	void aRegularExpressionThatBacktracksWithoutEndGivesUp() {
		// Java's own memo defuses (a+)+; a back reference defeats it: 2 s at 22 chars on
		// this machine, doubling every 2 or 3 more
		Selector selector = Selector.parse(doc("{\"s\":{\"$regex\":\"^((a+)\\\\2?)+$\"}}"));
		String evil = "a".repeat(40) + "!";
		assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> assertThat(selector.matches(Map.of("s", evil))).isFalse());
		assertThat(selector.matches(Map.of("s", "aaaa"))).isTrue();
		assertThat(selector.matches(Map.of("s", "a".repeat(1000)))).isTrue();
		// java.util.regex recurses per repetition of (a|b): a long string overflows the
		// stack
		Selector alternatives = Selector.parse(doc("{\"s\":{\"$regex\":\"^(a|b)*$\"}}"));
		assertThat(alternatives.matches(Map.of("s", "ab".repeat(500_000)))).isFalse();
		assertThat(alternatives.matches(Map.of("s", "abba"))).isTrue();
	}

	@Test
	void sizeCountsTheListItself() {
		assertThat(matches("{\"a\":{\"$size\":2}}", "{\"a\":[1,[2,3]]}")).isTrue();
		assertThat(matches("{\"a\":{\"$size\":1}}", "{\"a\":[[5,5]]}")).isTrue();
		assertThat(matches("{\"a\":{\"$size\":2}}", "{\"a\":[[5,5]]}")).isFalse();
		assertThat(matches("{\"a\":{\"$size\":0}}", "{\"a\":[]}")).isTrue();
		assertThat(matches("{\"a\":{\"$size\":1}}", "{\"a\":\"x\"}")).isFalse();
		assertThat(matches("{\"a\":{\"$size\":1.5}}", "{\"a\":[1]}")).isFalse();
		// Mongo reads a string operand as 0
		assertThat(matches("{\"a\":{\"$size\":\"1\"}}", "{\"a\":[]}")).isTrue();
		assertThat(matches("{\"a.b\":{\"$size\":1}}", "{\"a\":[{\"b\":[1,2]},{\"b\":[3]}]}")).isTrue();
	}

	@Test
	void allNeedsEveryValue() {
		assertThat(matches("{\"t\":{\"$all\":[\"a\",\"b\"]}}", "{\"t\":[\"b\",\"c\",\"a\"]}")).isTrue();
		assertThat(matches("{\"t\":{\"$all\":[\"a\",\"b\"]}}", "{\"t\":[\"a\",\"c\"]}")).isFalse();
		assertThat(matches("{\"t\":{\"$all\":[\"a\"]}}", "{\"t\":\"a\"}")).isTrue();
		assertThat(matches("{\"t\":{\"$all\":[]}}", "{\"t\":[]}")).isFalse();
		assertThat(matches("{\"t\":{\"$all\":[{\"$regexp\":\"^x\",\"$flags\":\"\"},\"a\"]}}", "{\"t\":[\"a\",\"xy\"]}"))
			.isTrue();
		assertThat(Selector.parse(doc("{\"t\":{\"$all\":[\"a\",\"b\"]}}")))
			.isEqualTo(Selector.parse(doc("{\"$and\":[{\"t\":\"b\"},{\"t\":\"a\"}]}")));
	}

	@Test
	void elemMatchOnDocumentsAndOnValues() {
		String doc = "{\"items\":[{\"n\":1,\"k\":\"a\"},{\"n\":5,\"k\":\"b\"}]}";
		assertThat(matches("{\"items\":{\"$elemMatch\":{\"n\":{\"$gt\":2},\"k\":\"b\"}}}", doc)).isTrue();
		// both conditions on one element, unlike dotted paths
		assertThat(matches("{\"items\":{\"$elemMatch\":{\"n\":{\"$gt\":2},\"k\":\"a\"}}}", doc)).isFalse();
		assertThat(matches("{\"items.n\":{\"$gt\":2},\"items.k\":\"a\"}", doc)).isTrue();
		assertThat(matches("{\"items\":{\"$elemMatch\":{\"$or\":[{\"k\":\"z\"},{\"n\":5}]}}}", doc)).isTrue();
		// on values: each element itself, not a list inside it
		assertThat(matches("{\"v\":{\"$elemMatch\":{\"$gt\":5,\"$lt\":9}}}", "{\"v\":[1,8]}")).isTrue();
		assertThat(matches("{\"v\":{\"$elemMatch\":{\"$gt\":5,\"$lt\":9}}}", "{\"v\":[1,10]}")).isFalse();
		assertThat(matches("{\"v\":{\"$elemMatch\":{\"$gt\":5}}}", "{\"v\":[[8]]}")).isFalse();
		assertThat(matches("{\"v\":{\"$elemMatch\":{\"$gt\":5}}}", "{\"v\":8}")).isFalse();
		// Minimongo stops at the first element that is neither a document nor a list
		assertThat(matches("{\"items\":{\"$elemMatch\":{\"n\":5}}}", "{\"items\":[{\"n\":5},1]}")).isTrue();
		assertThat(matches("{\"items\":{\"$elemMatch\":{\"n\":5}}}", "{\"items\":[1,{\"n\":5}]}")).isFalse();
		assertThat(matches("{\"m\":{\"$elemMatch\":{\"1\":7}}}", "{\"m\":[[6,7]]}")).isTrue();
	}

	@Test
	void newOperatorsRefuseBadOperands() {
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$regex\":1}}")))
			.withMessage("$regex has to be a string or RegExp");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$regex\":\"x\",\"$options\":\"s\"}}")))
			.withMessage("Only the i, m, and g regexp options are supported");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$options\":\"i\"}}")))
			.withMessage("$options needs a $regex");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$regex\":\"(\"}}")))
			.withMessageStartingWith("Invalid regular expression /(/: ");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$size\":true}}")))
			.withMessage("$size needs a number");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$all\":1}}")))
			.withMessage("$all requires array");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$all\":[{\"$gt\":1}]}}")))
			.withMessage("no $ expressions in $all");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$elemMatch\":[1]}}")))
			.withMessage("$elemMatch need an object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$elemMatch\":{\"$gt\":1,\"$or\":[{\"b\":1}]}}}")))
			.withMessage("Unrecognized operator: $or");
	}

	@Test
	void modIsJavaScriptsRemainder() {
		assertThat(matches("{\"n\":{\"$mod\":[4,0]}}", "{\"n\":8}")).isTrue();
		assertThat(matches("{\"n\":{\"$mod\":[4,0]}}", "{\"n\":\"8\"}")).isFalse();
		assertThat(matches("{\"n\":{\"$mod\":[3,2]}}", "{\"n\":[1,8]}")).isTrue();
		// the remainder takes the dividend's sign, and fractions stay
		assertThat(matches("{\"n\":{\"$mod\":[4,-1]}}", "{\"n\":-5}")).isTrue();
		assertThat(matches("{\"n\":{\"$mod\":[4,3]}}", "{\"n\":-5}")).isFalse();
		assertThat(matches("{\"n\":{\"$mod\":[2,1]}}", "{\"n\":1.5}")).isFalse();
		assertThat(matches("{\"n\":{\"$mod\":[1,0.5]}}", "{\"n\":1.5}")).isTrue();
		assertThat(matches("{\"n\":{\"$mod\":[2,0]}}", "{}")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$mod\":[2]}}")))
			.withMessage("argument to $mod must be an array of two numbers");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$mod\":[2,\"1\"]}}")))
			.withMessage("argument to $mod must be an array of two numbers");
	}

	@Test
	void typeTellsTypesAsMinimongoDoes() {
		assertThat(matches("{\"a\":{\"$type\":1}}", "{\"a\":1.5}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":\"double\"}}", "{\"a\":7}")).isTrue();
		// every number is a double: int and long match nothing
		assertThat(matches("{\"a\":{\"$type\":\"int\"}}", "{\"a\":7}")).isFalse();
		assertThat(matches("{\"a\":{\"$type\":\"string\"}}", "{\"a\":[1,\"x\"]}")).isTrue();
		// a list is tested by its elements, not as a list, unless it is inside one
		assertThat(matches("{\"a\":{\"$type\":4}}", "{\"a\":[1,2]}")).isFalse();
		assertThat(matches("{\"a\":{\"$type\":\"array\"}}", "{\"a\":[[1],2]}")).isTrue();
		assertThat(matches("{\"a.0\":{\"$type\":4}}", "{\"a\":[[1],2]}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":10}}", "{\"a\":null}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":10}}", "{}")).isFalse();
		assertThat(matches("{\"a\":{\"$type\":3}}", "{\"a\":{\"b\":1}}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":9}}", "{\"a\":{\"$date\":5}}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":5}}", "{\"a\":{\"$binary\":\"AQI=\"}}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":1}}", "{\"a\":{\"$InfNaN\":1}}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":11}}", "{\"a\":{\"$regexp\":\"x\",\"$flags\":\"\"}}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":8}}", "{\"a\":false}")).isTrue();
		assertThat(matches("{\"a\":{\"$type\":1.5}}", "{\"a\":1}")).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$type\":\"integer\"}}")))
			.withMessage("unknown string alias for $type: integer");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$type\":0}}")))
			.withMessage("Invalid numerical $type code: 0");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$type\":20}}")))
			.withMessage("Invalid numerical $type code: 20");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$type\":true}}")))
			.withMessage("argument to $type is not a number or a string");
		assertThat(Criteria.where("a").type("string").selector())
			.isEqualTo(Selector.parse(doc("{\"a\":{\"$type\":2}}")));
		assertThat(Criteria.where("n").mod(4, 1).selector()).isEqualTo(Selector.parse(doc("{\"n\":{\"$mod\":[4,1]}}")));
	}

	@Test
	void criteriaForTheArrayAndTextOperators() {
		assertThat(Criteria.where("s").regex("^ab", "i").selector())
			.isEqualTo(Selector.parse(doc("{\"s\":{\"$regex\":\"^ab\",\"$options\":\"i\"}}")));
		assertThat(Criteria.where("s").regex(Pattern.compile("^ab")).selector())
			.isEqualTo(Selector.parse(doc("{\"s\":{\"$regexp\":\"^ab\",\"$flags\":\"\"}}")));
		assertThat(Criteria.where("s").is(Pattern.compile("^ab")).selector())
			.isEqualTo(Criteria.where("s").regex(Pattern.compile("^ab")).selector());
		assertThatIllegalArgumentException().isThrownBy(() -> Criteria.where("s").gt(Pattern.compile("a")))
			.withMessage("Operator GT does not take a regular expression");
		assertThat(Criteria.where("t").size(2).selector()).isEqualTo(Selector.parse(doc("{\"t\":{\"$size\":2}}")));
		assertThat(Criteria.where("t").all("a", "b").selector())
			.isEqualTo(Selector.parse(doc("{\"t\":{\"$all\":[\"a\",\"b\"]}}")));
		assertThat(Criteria.where("t").all().selector()).isEqualTo(Selector.NONE);
		assertThat(Criteria.where("items").elemMatch(Criteria.where("n").gt(2).and("k").is("b")).selector())
			.isEqualTo(Selector.parse(doc("{\"items\":{\"$elemMatch\":{\"k\":\"b\",\"n\":{\"$gt\":2}}}}")));
		assertThat(Criteria.where("t").not().size(1).selector())
			.isEqualTo(Selector.parse(doc("{\"t\":{\"$not\":{\"$size\":1}}}")));
	}

	@Test
	void badSelectorsNameTheOperator() {
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$foo\":1}}")))
			.withMessage("Unrecognized operator: $foo");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"$foo\":[]}")))
			.withMessage("Unrecognized logical operator: $foo");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"$or\":[]}")))
			.withMessage("$and/$or/$nor must be nonempty array");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$in\":1}}")))
			.withMessage("$in needs an array");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$bitsAllSet\":1}}")))
			.withMessage("Unsupported operator: $bitsAllSet");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(doc("{\"a\":{\"$gt\":1,\"b\":2}}")))
			.withMessageStartingWith("Inconsistent operator: ");
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse(List.of(1)))
			.withMessageStartingWith("Invalid selector");
	}

	@Test
	void criteriaBuildTheSameTreeAsJson() {
		Criteria criteria = Criteria.where("done")
			.is(false)
			.and("owner")
			.in("u1", "u2")
			.and("due")
			.exists(false)
			.orOperator(Criteria.where("p").gte(3), Criteria.where("p").not().lt(1));
		Selector expected = Selector.parse(doc("{\"done\":false,\"owner\":{\"$in\":[\"u1\",\"u2\"]},"
				+ "\"due\":{\"$exists\":false},\"$or\":[{\"p\":{\"$gte\":3}},{\"p\":{\"$not\":{\"$lt\":1}}}]}"));
		assertThat(criteria.selector()).isEqualTo(expected);
		assertThat(Criteria.where("a").ne(null).nin(Arrays.asList(1, 2)).selector())
			.isEqualTo(Selector.parse(doc("{\"a\":{\"$ne\":null,\"$nin\":[1,2]}}")));
	}

}
