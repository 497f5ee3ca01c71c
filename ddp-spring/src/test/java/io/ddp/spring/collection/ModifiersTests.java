package io.ddp.spring.collection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Modifiers}: Mongo update operators with Minimongo's semantics and
 * wording.
 */
class ModifiersTests {

	@Test
	void setAndUnsetWorkOnDottedPathsCreatingMissingDocuments() {
		Map<String, Object> fields = document("{\"a\":1,\"b\":{\"c\":2}}");
		apply(fields, "{\"$set\":{\"b.d\":3,\"e.f\":4,\"a\":{\"x\":[1]}},\"$unset\":{\"b.c\":1,\"missing.path\":1}}");
		assertThat(fields).isEqualTo(document("{\"a\":{\"x\":[1]},\"b\":{\"d\":3},\"e\":{\"f\":4}}"));
	}

	@Test
	void setOnAListPositionAndUnsetKeepsPositions() {
		Map<String, Object> fields = document("{\"l\":[1,2,3]}");
		apply(fields, "{\"$set\":{\"l.1\":20,\"l.4\":5}}");
		assertThat(fields.get("l")).isEqualTo(list("[1,20,3,null,5]"));
		apply(fields, "{\"$unset\":{\"l.0\":1}}");
		assertThat(fields.get("l")).isEqualTo(list("[null,20,3,null,5]"));
	}

	@Test
	void incAddsNumbersAndStartsMissingFields() {
		Map<String, Object> fields = document("{\"n\":1,\"d\":1.5}");
		apply(fields, "{\"$inc\":{\"n\":2,\"d\":1,\"m\":-1}}");
		assertThat(fields).containsEntry("n", 3).containsEntry("d", 2.5).containsEntry("m", -1);
		apply(fields, "{\"$inc\":{\"n\":2147483647}}");
		assertThat(fields).containsEntry("n", 2147483650L);
	}

	@Test
	void pushAndAddToSetAppendWithEachAndAddToSetSkipsEqualValues() {
		Map<String, Object> fields = document("{\"tags\":[\"a\"]}");
		apply(fields, "{\"$push\":{\"tags\":\"a\",\"new\":{\"k\":1}}}");
		apply(fields, "{\"$push\":{\"tags\":{\"$each\":[\"b\",\"c\"]}}}");
		apply(fields, "{\"$addToSet\":{\"tags\":{\"$each\":[\"c\",\"d\"]},\"set\":{\"x\":1}}}");
		apply(fields, "{\"$addToSet\":{\"set\":{\"x\":1.0}}}");
		assertThat(fields)
			.isEqualTo(document("{\"tags\":[\"a\",\"a\",\"b\",\"c\",\"d\"],\"new\":[{\"k\":1}],\"set\":[{\"x\":1}]}"));
	}

	@Test
	void pullRemovesEqualValuesAndSubDocumentsWithTheGivenFields() {
		Map<String, Object> fields = document(
				"{\"tags\":[\"a\",\"b\",\"a\"],\"items\":[{\"n\":\"x\",\"q\":1},{\"n\":\"y\",\"q\":1},{\"n\":\"x\",\"q\":2}]}");
		apply(fields, "{\"$pull\":{\"tags\":\"a\",\"items\":{\"n\":\"x\"},\"missing\":1}}");
		assertThat(fields).isEqualTo(document("{\"tags\":[\"b\"],\"items\":[{\"n\":\"y\",\"q\":1}]}"));
	}

	@Test
	void pullOfNullRemovesTheNullElements() {
		Map<String, Object> fields = document("{\"l\":[1,null,2,null]}");
		apply(fields, "{\"$pull\":{\"l\":null}}");
		assertThat(fields.get("l")).isEqualTo(list("[1,2]"));
	}

	@Test
	void pullAllPushAllAndPop() {
		Map<String, Object> fields = document("{\"l\":[1,2,3,2,4]}");
		apply(fields, "{\"$pullAll\":{\"l\":[2,4]}}");
		apply(fields, "{\"$pushAll\":{\"l\":[5,6]}}");
		apply(fields, "{\"$pop\":{\"l\":-1}}");
		apply(fields, "{\"$pop\":{\"l\":1}}");
		assertThat(fields.get("l")).isEqualTo(list("[3,5]"));
	}

	@Test
	void pushWithPositionSortAndSlice() {
		Map<String, Object> fields = document("{\"l\":[1,2,3]}");
		apply(fields, "{\"$push\":{\"l\":{\"$each\":[8,9],\"$position\":1}}}");
		assertThat(fields.get("l")).isEqualTo(list("[1,8,9,2,3]"));
		apply(fields, "{\"$push\":{\"l\":{\"$each\":[7],\"$position\":99,\"$slice\":-3}}}");
		assertThat(fields.get("l")).isEqualTo(list("[2,3,7]"));
		apply(fields, "{\"$push\":{\"l\":{\"$each\":[],\"$slice\":2}}}");
		assertThat(fields.get("l")).isEqualTo(list("[2,3]"));
		apply(fields, "{\"$push\":{\"l\":{\"$each\":[4],\"$slice\":0}}}");
		assertThat(fields.get("l")).isEqualTo(list("[]"));
		// the chat pattern: keep the newest messages, sorted
		Map<String, Object> chat = document("{\"m\":[{\"t\":3,\"x\":\"c\"},{\"t\":1,\"x\":\"a\"}]}");
		apply(chat, "{\"$push\":{\"m\":{\"$each\":[{\"t\":2,\"x\":\"b\"}],\"$sort\":{\"t\":1},\"$slice\":-2}}}");
		assertThat(chat).isEqualTo(document("{\"m\":[{\"t\":2,\"x\":\"b\"},{\"t\":3,\"x\":\"c\"}]}"));
		assertError("{}", "{\"$push\":{\"l\":{\"$each\":1}}}", "$each must be an array");
		assertError("{}", "{\"$push\":{\"l\":{\"$each\":[1],\"$position\":-1}}}",
				"$position in $push must be zero or positive");
		assertError("{}", "{\"$push\":{\"l\":{\"$each\":[1],\"$slice\":\"2\"}}}", "$slice must be a numeric value");
		assertError("{}", "{\"$push\":{\"l\":{\"$each\":[{\"t\":1}],\"$sort\":{\"t\":1}}}}",
				"$sort requires $slice to be present");
		assertError("{}", "{\"$push\":{\"l\":{\"$each\":[1],\"$sort\":{\"t\":1},\"$slice\":1}}}",
				"$push like modifiers using $sort require all elements to be objects");
	}

	@Test
	void pullTakesConditionsOnValuesAndOnDocuments() {
		Map<String, Object> fields = document(
				"{\"s\":[5,6,7,8,\"9\"],\"items\":[{\"q\":1,\"k\":\"a\"},{\"q\":3,\"k\":\"b\"},2],\"t\":[\"ab\",\"cd\"]}");
		apply(fields, "{\"$pull\":{\"s\":{\"$gte\":7},\"items\":{\"q\":{\"$gt\":2}}}}");
		assertThat(fields.get("s")).isEqualTo(list("[5,6,\"9\"]"));
		assertThat(fields.get("items")).isEqualTo(list("[{\"q\":1,\"k\":\"a\"},2]"));
		apply(fields, "{\"$pull\":{\"s\":{\"$in\":[5,\"9\"]},\"t\":{\"$regex\":\"^a\"}}}");
		assertThat(fields.get("s")).isEqualTo(list("[6]"));
		assertThat(fields.get("t")).isEqualTo(list("[\"cd\"]"));
		assertError("{\"s\":[1]}", "{\"$pull\":{\"s\":{\"$foo\":1}}}", "Unrecognized operator: $foo");
	}

	@Test
	void minMaxCurrentDateRenameAndSetOnInsert() {
		Map<String, Object> fields = document("{\"lo\":5,\"hi\":5,\"a\":{\"b\":1},\"l\":[{\"x\":1}]}");
		apply(fields, "{\"$min\":{\"lo\":3,\"new\":7},\"$max\":{\"hi\":4.5},\"$setOnInsert\":{\"z\":1}}");
		assertThat(fields).containsEntry("lo", 3).containsEntry("hi", 5).containsEntry("new", 7).doesNotContainKey("z");
		apply(fields, "{\"$rename\":{\"a.b\":\"c.d\",\"missing\":\"m\"}}");
		assertThat(fields).containsEntry("a", Map.of()).containsEntry("c", Map.of("d", 1)).doesNotContainKey("m");
		long before = System.currentTimeMillis();
		apply(fields, "{\"$currentDate\":{\"at\":true,\"at2\":{\"$type\":\"date\"}}}");
		assertThat((Instant) fields.get("at")).isBetween(Instant.ofEpochMilli(before), Instant.now());
		assertThat(fields.get("at2")).isInstanceOf(Instant.class);
		assertError("{\"n\":\"s\"}", "{\"$max\":{\"n\":1}}", "Cannot apply $max modifier to non-number");
		assertError("{}", "{\"$min\":{\"n\":\"1\"}}", "Modifier $min allowed for numbers only");
		assertError("{}", "{\"$currentDate\":{\"n\":1}}", "Invalid $currentDate modifier");
		assertError("{}", "{\"$currentDate\":{\"n\":{\"$type\":\"timestamp\"}}}",
				"Minimongo does currently only support the date type in $currentDate modifiers");
		assertError("{\"a\":1}", "{\"$rename\":{\"a\":\"a\"}}", "$rename source must differ from target");
		assertError("{\"a\":1}", "{\"$rename\":{\"a\":1}}", "$rename target must be a string");
		assertError("{\"l\":[{\"x\":1}]}", "{\"$rename\":{\"l.0.x\":\"y\"}}", "$rename source field invalid");
		assertError("{\"a\":1,\"l\":[]}", "{\"$rename\":{\"a\":\"l.0\"}}", "$rename target field invalid");
	}

	@Test
	void anUpdateWithoutOperatorsReplacesTheFieldsButNotTheId() {
		Map<String, Object> fields = document("{\"a\":1}");
		apply(fields, "{\"_id\":\"x\",\"b\":2}");
		assertThat(fields).isEqualTo(document("{\"b\":2}"));
	}

	@Test
	void modifiedFieldsAreTheTopLevelNames() {
		assertThat(Modifiers.modifiedFields(document("{\"$set\":{\"a.b\":1,\"c\":1},\"$inc\":{\"a\":1,\"d\":1}}")))
			.containsExactly("a", "c", "d");
	}

	@Test
	void errorsAreWordedAsMinimongoWordsThem() {
		assertError("{\"n\":\"s\"}", "{\"$inc\":{\"n\":1}}", "Cannot apply $inc modifier to non-number");
		assertError("{}", "{\"$inc\":{\"n\":\"1\"}}", "Modifier $inc allowed for numbers only");
		assertError("{\"n\":1}", "{\"$push\":{\"n\":1}}", "Cannot apply $push modifier to non-array");
		assertError("{\"n\":1}", "{\"$addToSet\":{\"n\":1}}", "Cannot apply $addToSet modifier to non-array");
		assertError("{\"n\":1}", "{\"$pull\":{\"n\":1}}", "Cannot apply $pull/pullAll modifier to non-array");
		assertError("{\"n\":1}", "{\"$pop\":{\"n\":1}}", "Cannot apply $pop modifier to non-array");
		assertError("{}", "{\"$pullAll\":{\"n\":1}}", "Modifier $pushAll/pullAll allowed for arrays only");
		assertError("{}", "{\"$set\":{\"_id\":1}}", "Mod on _id not allowed");
		assertError("{}", "{\"$set\":{\"id\":1}}", "Mod on _id not allowed");
		assertError("{}", "{\"$set\":{\"a..b\":1}}",
				"The update path 'a..b' contains an empty field name, which is not allowed.");
		assertError("{\"a\":1}", "{\"$set\":{\"a.b\":1}}", "cannot use the part (b of a.b) to traverse the element");
		assertError("{}", "{\"$set\":5}", "Modifier $set's argument must be an object");
		assertError("{}", "{\"$mul\":{\"a\":2}}", "Invalid modifier specified $mul");
		assertError("{}", "{\"$bit\":{\"a\":{\"and\":1}}}", "$bit is not supported");
		assertError("{}", "{\"$set\":{\"a\":1},\"b\":2}",
				"Update parameter cannot have both modifier and non-modifier fields.");
	}

	private static void assertError(String document, String modifier, String message) {
		assertThatExceptionOfType(ModifierException.class).isThrownBy(() -> apply(document(document), modifier))
			.withMessage(message);
	}

	private static void apply(Map<String, Object> fields, String modifier) {
		Modifiers.apply(fieldsOf(fields), document(modifier), "id");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> fieldsOf(Map<String, Object> fields) {
		return (Map<String, Object>) (Map<String, ?>) fields;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> document(String json) {
		return (Map<String, Object>) Ejson
			.clone(new LinkedHashMap<>((Map<String, Object>) Ejson.createDefault().parse(json)));
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(String json) {
		return new ArrayList<>((List<Object>) Ejson.createDefault().parse(json));
	}

}
