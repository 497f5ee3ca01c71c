package io.ddp.spring.collection;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodCallContext;
import io.ddp.spring.server.method.MethodDispatcher;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the mutator methods of {@link DdpCollection#exposeMutators}: Meteor's checks,
 * rules and wording, called through the method dispatcher.
 */
class CollectionMutatorsTests {

	private static final Ejson EJSON = Ejson.createDefault();

	record Task(String id, String owner, String text, int count) {
	}

	private final DdpMethodRegistry registry = new DdpMethodRegistry();

	private final MethodDispatcher dispatcher = new MethodDispatcher(this.registry, EJSON, List.of());

	private final DdpCollection<Task> tasks = new DdpCollection<>("tasks", Task.class, EJSON);

	private String userId = "ann";

	@Test
	void insertWithoutIdUsesTheMethodsRandomStreamLikeTheClientsStub() {
		this.tasks.exposeMutators(this.registry, AllowDenyRules.<Task>none().allowInsert((userId, task) -> true));
		JsonNode result = call("/tasks/insert", "[{\"owner\":\"ann\",\"text\":\"a\",\"count\":0}]",
				"0123456789abcdef0123");
		assertThat(result.get("result").asString()).isEqualTo("devBuvC559TzDB3E9");
		assertThat(this.tasks.findById("devBuvC559TzDB3E9")).contains(new Task("devBuvC559TzDB3E9", "ann", "a", 0));
	}

	@Test
	void insertKeepsTheClientsIdAndRefusesADuplicateWith409() {
		this.tasks.exposeMutators(this.registry, AllowDenyRules.<Task>none().allowInsert((userId, task) -> true));
		assertThat(call("/tasks/insert", "[{\"_id\":\"mine\",\"owner\":\"ann\",\"text\":\"a\",\"count\":0}]", null)
			.get("result")
			.asString()).isEqualTo("mine");
		assertError(call("/tasks/insert", "[{\"_id\":\"mine\",\"owner\":\"ann\",\"text\":\"a\",\"count\":0}]", null),
				409, "Duplicate _id 'mine'");
	}

	@Test
	void insertRulesSeeTheDocumentWithoutTheGeneratedId() {
		AtomicReference<Task> seen = new AtomicReference<>();
		this.tasks.exposeMutators(this.registry, AllowDenyRules.<Task>none().allowInsert((userId, task) -> {
			seen.set(task);
			return userId != null && userId.equals(task.owner());
		}));
		call("/tasks/insert", "[{\"owner\":\"ann\",\"text\":\"a\",\"count\":0}]", "0123456789abcdef0123");
		assertThat(seen.get()).isEqualTo(new Task(null, "ann", "a", 0));
		assertError(call("/tasks/insert", "[{\"owner\":\"bob\",\"text\":\"a\",\"count\":0}]", null), 403,
				"Access denied");
	}

	@Test
	void withoutRulesEveryCallIsDenied() {
		this.tasks.exposeMutators(this.registry, AllowDenyRules.none());
		this.tasks.insert(new Task("t1", "ann", "a", 0));
		assertError(call("/tasks/insert", "[{\"text\":\"a\"}]", null), 403, "Access denied");
		assertError(call("/tasks/update", "[\"t1\",{\"$set\":{\"text\":\"b\"}}]", null), 403, "Access denied");
		assertError(call("/tasks/remove", "[\"t1\"]", null), 403, "Access denied");
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "ann", "a", 0));
	}

	@Test
	void aRestrictedCollectionWithoutAllowRulesForAMethodSaysSo() {
		this.tasks.exposeMutators(this.registry, AllowDenyRules.<Task>none().allowInsert((userId, task) -> true));
		assertError(call("/tasks/remove", "[\"t1\"]", null), 403,
				"Access denied. No allow validators set on restricted collection for method 'remove'.");
	}

	@Test
	void denyRulesWinOverAllowRules() {
		this.tasks.exposeMutators(this.registry,
				AllowDenyRules.<Task>none()
					.allowUpdate((userId, task, fields, modifier) -> true)
					.denyUpdate((userId, task, fields, modifier) -> fields.contains("owner"))
					.allowRemove((userId, task) -> true)
					.denyRemove((userId, task) -> !task.owner().equals(userId)));
		this.tasks.insert(new Task("t1", "bob", "a", 0));
		assertError(call("/tasks/update", "[\"t1\",{\"$set\":{\"owner\":\"ann\"}}]", null), 403, "Access denied");
		assertThat(call("/tasks/update", "[{\"_id\":\"t1\"},{\"$set\":{\"text\":\"b\"}}]", null).get("result").asInt())
			.isOne();
		assertError(call("/tasks/remove", "[\"t1\"]", null), 403, "Access denied");
		this.userId = "bob";
		assertThat(call("/tasks/remove", "[\"t1\"]", null).get("result").asInt()).isOne();
		assertThat(call("/tasks/remove", "[\"t1\"]", null).get("result").asInt()).isZero();
	}

	@Test
	void updatesAreCheckedAsMeteorChecksThem() {
		this.tasks.exposeMutators(this.registry,
				AllowDenyRules.<Task>none().allowUpdate((userId, task, fields, modifier) -> true));
		this.tasks.insert(new Task("t1", "ann", "a", 0));
		assertError(call("/tasks/update", "[{\"text\":\"a\"},{\"$set\":{\"text\":\"b\"}}]", null), 403,
				"Not permitted. Untrusted code may only update documents by ID.");
		assertError(call("/tasks/update", "[\"t1\",\"text\"]", null), 400, "Match failed");
		assertError(call("/tasks/update", "[\"t1\",{\"text\":\"b\"}]", null), 403,
				"Access denied. In a restricted collection you can only update documents, not replace them."
						+ " Use a Mongo update operator, such as '$set'.");
		assertError(call("/tasks/update", "[\"t1\",{}]", null), 403,
				"Access denied. In a restricted collection you can only update documents, not replace them."
						+ " Use a Mongo update operator, such as '$set'.");
		assertError(call("/tasks/update", "[\"t1\",{\"$rename\":{\"text\":\"t\"}}]", null), 403,
				"Access denied. Operator $rename not allowed in a restricted collection.");
		assertError(call("/tasks/update", "[\"t1\",{\"$set\":{\"text\":\"b\"}},{\"upsert\":true}]", null), 403,
				"Access denied. Upserts not allowed in a restricted collection.");
		assertError(call("/tasks/update", "[\"t1\",{\"$inc\":{\"text\":1}}]", null), 409,
				"Cannot apply $inc modifier to non-number");
		assertError(call("/tasks/update", "[\"t1\",{\"$set\":{\"count\":[1]}}]", null), 400, "Match failed");
		assertThat(call("/tasks/update", "[\"nope\",{\"$set\":{\"text\":\"b\"}}]", null).get("result").asInt())
			.isZero();
		assertThat(call("/tasks/update", "[42,{\"$set\":{\"text\":\"b\"}}]", null).get("result").asInt()).isZero();
		assertThat(call("/tasks/update", "[\"t1\",{\"$inc\":{\"count\":2}}]", null).get("result").asInt()).isOne();
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "ann", "a", 2));
	}

	@Test
	void updateRulesGetTheTopLevelFieldsAndTheModifier() {
		AtomicReference<List<String>> fields = new AtomicReference<>();
		AtomicReference<Map<String, @Nullable Object>> modifier = new AtomicReference<>();
		this.tasks.exposeMutators(this.registry,
				AllowDenyRules.<Task>none().allowUpdate((userId, task, fieldNames, mod) -> {
					fields.set(fieldNames);
					modifier.set(mod);
					return true;
				}));
		this.tasks.insert(new Task("t1", "ann", "a", 0));
		call("/tasks/update", "[\"t1\",{\"$set\":{\"text\":\"b\"},\"$inc\":{\"count\":1}}]", null);
		assertThat(fields.get()).containsExactly("text", "count");
		assertThat(modifier.get()).isEqualTo(Map.of("$set", Map.of("text", "b"), "$inc", Map.of("count", 1)));
	}

	@Test
	void registeringTwiceFails() {
		this.tasks.exposeMutators(this.registry, AllowDenyRules.none());
		assertThat(this.registry.names()).containsExactly("/tasks/insert", "/tasks/remove", "/tasks/update");
		assertThatIllegalStateException()
			.isThrownBy(() -> this.tasks.exposeMutators(this.registry, AllowDenyRules.none()))
			.withMessageContaining("Duplicate DDP method '/tasks/insert'");
	}

	private JsonNode call(String method, String params, @Nullable String seed) {
		AtomicReference<String> frame = new AtomicReference<>();
		this.dispatcher.dispatch(new Context(this.userId), "1", method, (ArrayNode) EJSON.mapper().readTree(params),
				seed, () -> {
				}, (result, fence) -> frame.set(result));
		return EJSON.mapper().readTree(frame.get());
	}

	private static void assertError(JsonNode result, int error, String reason) {
		assertThat(result.get("error").get("error").asInt()).as(result.toString()).isEqualTo(error);
		assertThat(result.get("error").get("reason").asString()).isEqualTo(reason);
	}

	private record Context(@Nullable String userId) implements MethodCallContext {

		@Override
		public @Nullable ClientConnection connection() {
			return null;
		}

		@Override
		public void setUserId(@Nullable String userId) {
		}

	}

}
