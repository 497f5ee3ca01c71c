package io.ddp.spring.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link DdpConnection#reconnect(java.net.URI)} between two servers on real loopback
 * sockets: what was in flight on the first ends on the second, subscriptions move with
 * their ids, and the resume login follows.
 */
class ReconnectToUrlTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void callsInFlightAndSubscriptionsMoveToTheSecondServer() throws IOException {
		List<Optional<String>> userIds = new CopyOnWriteArrayList<>();
		List<String> closes = new CopyOnWriteArrayList<>();
		try (LoopbackDdpServer first = new LoopbackDdpServer((frame) -> answer("a", frame, false));
				LoopbackDdpServer second = new LoopbackDdpServer((frame) -> answer("b", frame, true));
				DefaultDdpConnection connection = new DefaultDdpConnection("moving",
						DdpClientOptions.builder(first.url()).resumeToken("tok").build(), Ejson.createDefault())) {
			connection.addListener(new DdpClientListener() {

				@Override
				public void userIdChanged(@Nullable String userId) {
					userIds.add(Optional.ofNullable(userId));
				}

				@Override
				public void socketClosed(int code, String reason) {
					closes.add(code + " " + reason);
				}

			});
			connection.connect();
			RemoteCollection<Map> tasks = connection.collection("tasks", Map.class);
			DdpSubscription subscription = connection.subscribe("tasks");
			CompletableFuture<@Nullable List<String>> slow = connection.callAsync("slow",
					new ParameterizedTypeReference<List<String>>() {
					});
			CompletableFuture<@Nullable Object> noRetry = connection.applyAsync("slow", List.of(),
					CallOptions.defaults().withNoRetry(true), Object.class);
			await().atMost(WAIT).until(() -> count(first.received, "\"method\":\"slow\"") == 2);
			assertThat(connection.sessionId()).isEqualTo("a-session");
			await().atMost(WAIT).until(() -> userIds.size() == 1);

			connection.reconnect(second.url());

			assertThat(slow.join()).containsExactly("b", "slow");
			await().atMost(WAIT).until(noRetry::isDone);
			assertThat(noRetry).isCompletedExceptionally();
			assertThat(noRetry.handle((value, ex) -> ((DdpException) ex).getError()).join())
				.isEqualTo("invocation-failed");
			subscription.ready().join();
			assertThat(tasks.findAll()).containsExactly(Map.of("_id", "t1", "from", "b"));
			assertThat(connection.sessionId()).isEqualTo("b-session");
			assertThat(connection.status().state()).isEqualTo(ConnectionState.CONNECTED);
			// the second server sees the same session proposal, login, subscription id
			// and
			// method id
			assertThat(second.received.get(0)).contains("\"session\":\"a-session\"");
			assertThat(second.received.get(1)).contains("\"method\":\"login\"", "\"resume\":\"tok\"");
			assertThat(second.received).anySatisfy(
					(frame) -> assertThat(frame).contains("\"msg\":\"sub\"", "\"id\":\"" + subscription.id() + "\""));
			String slowId = id(first.received.stream().filter((f) -> f.contains("\"method\":\"slow\"")).findFirst());
			assertThat(second.received).filteredOn((frame) -> frame.contains("\"method\":\"slow\""))
				.singleElement()
				.asString()
				.contains("\"id\":\"" + slowId + "\"");
			await().atMost(WAIT).until(() -> userIds.size() == 2);
			assertThat(userIds).containsExactly(Optional.of("a-user"), Optional.of("b-user"));
			assertThat(closes).containsExactly("1000 Reconnecting to " + second.url());
			assertThat(connection.toString()).contains(second.url().toString());
			assertThat(connection.call("slow")).isEqualTo(List.of("b", "slow"));
		}
	}

	@Test
	void urlOfAnotherKindIsRefusedAndTheConnectionStays() throws IOException {
		try (LoopbackDdpServer server = new LoopbackDdpServer((frame) -> answer("a", frame, true));
				DefaultDdpConnection connection = new DefaultDdpConnection("staying",
						DdpClientOptions.builder(server.url()).build(), Ejson.createDefault())) {
			connection.connect();
			await().atMost(WAIT).until(() -> connection.status().state() == ConnectionState.CONNECTED);
			assertThatIllegalArgumentException()
				.isThrownBy(() -> connection.reconnect(java.net.URI.create("ftp://example.org/")))
				.withMessageContaining("ftp://example.org/");
			assertThat(connection.call("slow")).isEqualTo(List.of("a", "slow"));
		}
	}

	private static List<String> answer(String server, String text, boolean answerSlow) {
		JsonNode frame = json.readTree(text);
		String msg = frame.path("msg").asString();
		String id = frame.path("id").asString();
		return switch (msg) {
			case "connect" -> List.of("{\"msg\":\"connected\",\"session\":\"" + server + "-session\"}");
			case "sub" -> List.of("{\"msg\":\"added\",\"collection\":\"tasks\",\"id\":\"t1\",\"fields\":{\"from\":\""
					+ server + "\"}}", "{\"msg\":\"ready\",\"subs\":[\"" + id + "\"]}");
			case "method" -> {
				String result = switch (frame.path("method").asString()) {
					case "login" -> "{\"id\":\"" + server + "-user\",\"token\":\"tok\"}";
					case "slow" -> answerSlow ? "[\"" + server + "\",\"slow\"]" : null;
					default -> null;
				};
				yield (result != null) ? List.of("{\"msg\":\"result\",\"id\":\"" + id + "\",\"result\":" + result + "}",
						"{\"msg\":\"updated\",\"methods\":[\"" + id + "\"]}") : List.of();
			}
			default -> List.of();
		};
	}

	private static long count(List<String> frames, String part) {
		return frames.stream().filter((frame) -> frame.contains(part)).count();
	}

	private static String id(Optional<String> frame) {
		return json.readTree(frame.orElseThrow()).path("id").asString();
	}

}
