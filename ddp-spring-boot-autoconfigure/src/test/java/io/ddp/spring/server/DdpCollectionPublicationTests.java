package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.server.CollectionTestApplication.Todo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactive collections over real WebSocket connections: cursor publications
 * (ddp-protocol.md 4.2), live changes from method writes and their order before
 * {@code updated} (3.3), and the mutator methods with the client's random seed (3.5,
 * appendix A) and Meteor's allow/deny rules and modifiers.
 */
@SpringBootTest(classes = CollectionTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpCollectionPublicationTests {

	@LocalServerPort
	int port;

	@Autowired
	DdpCollection<Todo> todos;

	@Autowired
	DdpCollection<Map<String, Object>> notes;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@Test
	void aCursorPublicationSendsTheMatchingDocumentsThenReady() {
		String a = this.todos.insert(new Todo(null, "init", "a", false));
		String b = this.todos.insert(new Todo(null, "init", "b", false));
		this.todos.insert(new Todo(null, "init", "c", true));
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"openTodos\",\"params\":[\"init\"]}");
			Set<JsonNode> added = new HashSet<>(List.of(client.next(), client.next()));
			assertThat(added).containsExactlyInAnyOrder(
					json("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + a
							+ "\",\"fields\":{\"list\":\"init\",\"text\":\"a\",\"done\":false}}"),
					json("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + b
							+ "\",\"fields\":{\"list\":\"init\",\"text\":\"b\",\"done\":false}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s\"]}"));
		}
	}

	@Test
	void methodWritesReachEverySubscriberAndPrecedeTheCallersUpdated() {
		try (RawDdpClient caller = connect(); RawDdpClient other = connect()) {
			subscribe(caller, "s", "openTodos", "[\"live\"]");
			subscribe(other, "s", "openTodos", "[\"live\"]");

			List<JsonNode> frames = call(caller, "1", "todos.add", "[\"live\",\"milk\"]", null);
			String id = result(frames, "1").asString();
			JsonNode added = json("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + id
					+ "\",\"fields\":{\"list\":\"live\",\"text\":\"milk\",\"done\":false}}");
			assertDataBeforeUpdated(frames, "1", added);
			assertThat(other.next()).isEqualTo(added);

			JsonNode changed = json("{\"msg\":\"changed\",\"collection\":\"todos\",\"id\":\"" + id
					+ "\",\"fields\":{\"text\":\"oat milk\"}}");
			assertDataBeforeUpdated(call(caller, "2", "todos.rename", "[\"" + id + "\",\"oat milk\"]", null), "2",
					changed);
			assertThat(other.next()).isEqualTo(changed);

			JsonNode removed = json("{\"msg\":\"removed\",\"collection\":\"todos\",\"id\":\"" + id + "\"}");
			assertDataBeforeUpdated(call(caller, "3", "todos.setDone", "[\"" + id + "\",true]", null), "3", removed);
			assertThat(other.next()).isEqualTo(removed);

			JsonNode addedAgain = json("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + id
					+ "\",\"fields\":{\"list\":\"live\",\"text\":\"oat milk\",\"done\":false}}");
			assertDataBeforeUpdated(call(caller, "4", "todos.setDone", "[\"" + id + "\",false]", null), "4",
					addedAgain);
			assertThat(other.next()).isEqualTo(addedAgain);

			assertDataBeforeUpdated(call(caller, "5", "todos.remove", "[\"" + id + "\"]", null), "5", removed);
			assertThat(other.next()).isEqualTo(removed);
		}
	}

	@Test
	void unsubscribingWithdrawsTheDocumentsAndStopsObserving() throws InterruptedException {
		String id = this.todos.insert(new Todo(null, "gone", "a", false));
		try (RawDdpClient client = connect()) {
			subscribe(client, "g", "openTodos", "[\"gone\"]");
			client.send("{\"msg\":\"unsub\",\"id\":\"g\"}");
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"removed\",\"collection\":\"todos\",\"id\":\"" + id + "\"}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"g\"}"));
			this.todos.insert(new Todo(null, "gone", "b", false));
			this.todos.update(id, Map.of("$set", Map.of("text", "z")));
			client.expectSilence(Duration.ofMillis(300));
		}
	}

	@Test
	void twoCursorsOnOneCollectionOrANonCursorFailTheSubscriptionWith500() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"two\",\"name\":\"twoTodoCursors\",\"params\":[\"x\"]}");
			assertThat(client.next())
				.isEqualTo(json("{\"msg\":\"nosub\",\"id\":\"two\",\"error\":{\"isClientSafe\":true,"
						+ "\"error\":500,\"reason\":\"Internal server error\",\"message\":\"Internal server error [500]\","
						+ "\"errorType\":\"Meteor.Error\"}}"));
			client.send("{\"msg\":\"sub\",\"id\":\"mixed\",\"name\":\"cursorAndValue\",\"params\":[\"x\"]}");
			JsonNode nosub = client.next();
			assertThat(nosub.get("id").asString()).isEqualTo("mixed");
			assertThat(nosub.get("error").get("error").asInt()).isEqualTo(500);
		}
	}

	@Test
	void anEmptyArrayOfCursorsIsReadyAtOnce() {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"none\",\"name\":\"noCursors\",\"params\":[]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"none\"]}"));
		}
	}

	@Test
	void cursorsOnTwoCollectionsPublishBothThenOneReady() {
		String todo = this.todos.insert(new Todo(null, "pair", "a", false));
		String note = this.notes.insert(Map.of("list", "pair", "body", "hi"));
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"both\",\"name\":\"todosAndNotes\",\"params\":[\"pair\"]}");
			assertThat(List.of(client.next(), client.next())).containsExactly(
					json("{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + todo
							+ "\",\"fields\":{\"list\":\"pair\",\"text\":\"a\",\"done\":false}}"),
					json("{\"msg\":\"added\",\"collection\":\"notes\",\"id\":\"" + note
							+ "\",\"fields\":{\"list\":\"pair\",\"body\":\"hi\"}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"both\"]}"));
		}
	}

	@Test
	void aProjectionPublishesOnlyItsFieldsAndNoChangesOfOthers() {
		String id = this.todos.insert(new Todo(null, "proj", "a", false));
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"sub\",\"id\":\"p\",\"name\":\"todoTexts\",\"params\":[\"proj\"]}");
			assertThat(client.next()).isEqualTo(json(
					"{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + id + "\",\"fields\":{\"text\":\"a\"}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"p\"]}"));
			List<JsonNode> frames = call(client, "1", "todos.setDone", "[\"" + id + "\",true]", null);
			assertThat(frames).extracting((frame) -> frame.get("msg").asString())
				.containsExactlyInAnyOrder("result", "updated");
		}
	}

	@Test
	void mutatorInsertWithARandomSeedUsesTheIdTheClientsStubMade() {
		try (RawDdpClient client = connect()) {
			subscribe(client, "t", "tasks", "[\"seed\"]");
			List<JsonNode> frames = call(client, "1", "/tasks/insert", "[{\"list\":\"seed\",\"text\":\"a\"}]",
					"0123456789abcdef0123");
			assertThat(result(frames, "1").asString()).isEqualTo("devBuvC559TzDB3E9");
			assertDataBeforeUpdated(frames, "1", json("{\"msg\":\"added\",\"collection\":\"tasks\","
					+ "\"id\":\"devBuvC559TzDB3E9\",\"fields\":{\"list\":\"seed\",\"text\":\"a\"}}"));
			// Meteor's client sends the id it generated inside the document: the server
			// keeps it
			frames = call(client, "2", "/tasks/insert",
					"[{\"_id\":\"MjBCWTC6R4Tr5jJ3h\",\"list\":\"seed\",\"text\":\"b\"}]", "0123456789abcdef0123");
			assertThat(result(frames, "2").asString()).isEqualTo("MjBCWTC6R4Tr5jJ3h");
		}
	}

	@Test
	void mutatorsAreDeniedByDefaultAndByTheirRules() {
		try (RawDdpClient client = connect()) {
			assertError(client.call("1", "/secrets/insert", "[{\"text\":\"a\"}]"), 403, "Access denied");
			assertError(client.call("2", "/tasks/insert", "[{\"text\":\"forbidden\"}]"), 403, "Access denied");
			assertError(client.call("3", "/tasks/update", "[{\"text\":\"a\"},{\"$set\":{\"text\":\"b\"}}]"), 403,
					"Not permitted. Untrusted code may only update documents by ID.");
			assertError(client.call("4", "/tasks/remove", "[{}]"), 403,
					"Not permitted. Untrusted code may only remove documents by ID.");
			assertError(client.call("5", "/tasks/update", "[\"x\",[1]]"), 400, "Match failed");
		}
	}

	@Test
	void modifiersReachSubscribersAsChangedFields() {
		try (RawDdpClient client = connect()) {
			subscribe(client, "m", "tasks", "[\"mods\"]");
			List<JsonNode> frames = call(client, "0", "/tasks/insert",
					"[{\"_id\":\"mod1\",\"list\":\"mods\",\"text\":\"a\",\"n\":1,\"tags\":[\"x\"]}]", null);
			assertDataBeforeUpdated(frames, "0", json("{\"msg\":\"added\",\"collection\":\"tasks\",\"id\":\"mod1\","
					+ "\"fields\":{\"list\":\"mods\",\"text\":\"a\",\"n\":1,\"tags\":[\"x\"]}}"));
			assertUpdate(client, "1", "{\"$set\":{\"text\":\"b\"}}", "{\"fields\":{\"text\":\"b\"}}");
			assertUpdate(client, "2", "{\"$unset\":{\"text\":\"\"}}", "{\"cleared\":[\"text\"]}");
			assertUpdate(client, "3", "{\"$inc\":{\"n\":2}}", "{\"fields\":{\"n\":3}}");
			assertUpdate(client, "4", "{\"$push\":{\"tags\":\"y\"}}", "{\"fields\":{\"tags\":[\"x\",\"y\"]}}");
			assertUpdate(client, "5", "{\"$addToSet\":{\"tags\":\"y\"}}", null);
			assertUpdate(client, "6", "{\"$addToSet\":{\"tags\":\"z\"}}",
					"{\"fields\":{\"tags\":[\"x\",\"y\",\"z\"]}}");
			assertUpdate(client, "7", "{\"$pull\":{\"tags\":\"x\"}}", "{\"fields\":{\"tags\":[\"y\",\"z\"]}}");
			assertError(client.call("8", "/tasks/update", "[\"mod1\",{\"$set\":{\"list\":\"other\"}}]"), 403,
					"Access denied");
			assertError(client.call("9", "/tasks/update", "[\"mod1\",{\"$inc\":{\"tags\":1}}]"), 409,
					"Cannot apply $inc modifier to non-number");
			frames = call(client, "10", "/tasks/remove", "[\"mod1\"]", null);
			assertThat(result(frames, "10").asInt()).isOne();
			assertDataBeforeUpdated(frames, "10",
					json("{\"msg\":\"removed\",\"collection\":\"tasks\",\"id\":\"mod1\"}"));
			assertThat(client.call("11", "/tasks/remove", "[\"mod1\"]").get("result").asInt()).isZero();
		}
	}

	private void assertUpdate(RawDdpClient client, String methodId, String modifier, @Nullable String change) {
		List<JsonNode> frames = call(client, methodId, "/tasks/update", "[{\"_id\":\"mod1\"}," + modifier + "]", null);
		assertThat(result(frames, methodId).asInt()).isOne();
		if (change == null) {
			assertThat(frames).extracting((frame) -> frame.get("msg").asString())
				.containsExactlyInAnyOrder("result", "updated");
			return;
		}
		String text = change.substring(1);
		assertDataBeforeUpdated(frames, methodId,
				json("{\"msg\":\"changed\",\"collection\":\"tasks\",\"id\":\"mod1\"," + text));
	}

	private static void subscribe(RawDdpClient client, String id, String name, String params) {
		client.send("{\"msg\":\"sub\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"params\":" + params + "}");
		client.next((frame) -> "ready".equals(frame.path("msg").asString()));
	}

	/**
	 * Call a method and return every frame up to both its result and its updated.
	 */
	private static List<JsonNode> call(RawDdpClient client, String id, String method, String params,
			@Nullable String seed) {
		client.send("{\"msg\":\"method\",\"id\":\"" + id + "\",\"method\":\"" + method + "\",\"params\":" + params
				+ ((seed != null) ? ",\"randomSeed\":\"" + seed + "\"" : "") + "}");
		List<JsonNode> frames = new ArrayList<>();
		boolean result = false;
		boolean updated = false;
		while (!result || !updated) {
			JsonNode frame = client.next();
			frames.add(frame);
			result |= isResult(frame, id);
			updated |= isUpdated(frame, id);
		}
		return frames;
	}

	private static JsonNode result(List<JsonNode> frames, String id) {
		JsonNode result = frames.stream().filter((frame) -> isResult(frame, id)).findFirst().orElseThrow();
		assertThat(result.has("error")).as(result.toString()).isFalse();
		return result.get("result");
	}

	private static void assertDataBeforeUpdated(List<JsonNode> frames, String id, JsonNode data) {
		int dataIndex = frames.indexOf(data);
		int updatedIndex = -1;
		for (int i = 0; i < frames.size(); i++) {
			if (isUpdated(frames.get(i), id)) {
				updatedIndex = i;
			}
		}
		assertThat(dataIndex).as("%s in %s", data, frames).isNotNegative().isLessThan(updatedIndex);
	}

	private static boolean isResult(JsonNode frame, String id) {
		return "result".equals(frame.path("msg").asString()) && id.equals(frame.path("id").asString());
	}

	private static boolean isUpdated(JsonNode frame, String id) {
		if (!"updated".equals(frame.path("msg").asString())) {
			return false;
		}
		for (JsonNode method : frame.get("methods")) {
			if (id.equals(method.asString())) {
				return true;
			}
		}
		return false;
	}

	private static void assertError(JsonNode result, int error, String reason) {
		assertThat(result.get("error").get("error").asInt()).as(result.toString()).isEqualTo(error);
		assertThat(result.get("error").get("reason").asString()).isEqualTo(reason);
	}

}
