package io.ddp.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Queries of a {@link RemoteCollection} over documents a real loopback server published:
 * the selectors, sort, limit and projection of {@link DdpQuery} (the server's own
 * matcher), and observers told only when their result changes.
 */
class RemoteCollectionQueryTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final DdpQuery OPEN_BY_RANK = DdpQuery.where(Criteria.where("done").is(false))
		.sort(Sort.by("rank"))
		.limit(2);

	@Test
	void findAndObserveWithTheServersQuerySemantics() throws Exception {
		try (LoopbackDdpServer server = new LoopbackDdpServer(RemoteCollectionQueryTests::answer);
				DefaultDdpConnection connection = new DefaultDdpConnection("queries",
						DdpClientOptions.builder(server.url()).build(), Ejson.createDefault())) {
			connection.connect();
			RemoteCollection<Todo> todos = connection.collection("todos", Todo.class);
			connection.subscribe("todos").ready().join();

			assertThat(todos.find(OPEN_BY_RANK)).extracting(Todo::title).containsExactly("b", "c");
			assertThat(
					todos.find(DdpQuery.where(Criteria.where("tags").in("home")).sort(Sort.by("title").descending())))
				.extracting(Todo::title)
				.containsExactly("d", "a");
			assertThat(todos.find(DdpQuery.where(Criteria.where("owner.name").is("ada")).skip(1)))
				.extracting(Todo::title)
				.containsExactly("c");
			List<Map> projected = connection.collection("todos", Map.class)
				.find(DdpQuery.where(Criteria.where("rank").gte(4)).include("title"));
			assertThat(projected).containsExactly(Map.of("_id", "t4", "title", "d"));

			List<List<String>> results = new CopyOnWriteArrayList<>();
			AutoCloseable observation = todos.observe(OPEN_BY_RANK,
					(result) -> results.add(result.stream().map(Todo::title).toList()));
			await().atMost(WAIT).until(() -> results.size() == 1);
			assertThat(results).containsExactly(List.of("b", "c"));

			// d is open but third by rank: the window stays, no call
			connection.call("change", "t4", "{\"title\":\"d2\"}");
			// a reopened ranks first: the window changes
			connection.call("change", "t1", "{\"done\":false}");
			await().atMost(WAIT).until(() -> results.size() == 2);
			assertThat(results.get(1)).containsExactly("a", "b");
			// a change inside the window is a change of the result
			connection.call("change", "t2", "{\"title\":\"b2\"}");
			await().atMost(WAIT).until(() -> results.size() == 3);
			assertThat(results.get(2)).containsExactly("a", "b2");

			observation.close();
			connection.call("change", "t1", "{\"done\":true}");
			assertThat(todos.find(OPEN_BY_RANK)).extracting(Todo::title).containsExactly("b2", "c");
			assertThat(results).hasSize(3);
		}
	}

	private static List<String> answer(String text) {
		JsonNode frame = json.readTree(text);
		String id = frame.path("id").asString();
		return switch (frame.path("msg").asString()) {
			case "connect" -> List.of("{\"msg\":\"connected\",\"session\":\"q1\"}");
			case "sub" -> List.of(added("t1", "{\"title\":\"a\",\"done\":true,\"rank\":1,\"tags\":[\"home\"]}"),
					added("t2", "{\"title\":\"b\",\"done\":false,\"rank\":2,\"owner\":{\"name\":\"ada\"}}"),
					added("t3", "{\"title\":\"c\",\"done\":false,\"rank\":3,\"owner\":{\"name\":\"ada\"}}"),
					added("t4", "{\"title\":\"d\",\"done\":false,\"rank\":4,\"tags\":[\"work\",\"home\"]}"),
					"{\"msg\":\"ready\",\"subs\":[\"" + id + "\"]}");
			case "method" -> {
				JsonNode params = frame.path("params");
				yield List.of(
						"{\"msg\":\"changed\",\"collection\":\"todos\",\"id\":\"" + params.get(0).asString()
								+ "\",\"fields\":" + params.get(1).asString() + "}",
						"{\"msg\":\"result\",\"id\":\"" + id + "\"}",
						"{\"msg\":\"updated\",\"methods\":[\"" + id + "\"]}");
			}
			default -> List.of();
		};
	}

	private static String added(String id, String fields) {
		return "{\"msg\":\"added\",\"collection\":\"todos\",\"id\":\"" + id + "\",\"fields\":" + fields + "}";
	}

	record Todo(String _id, String title, boolean done, int rank) {
	}

}
