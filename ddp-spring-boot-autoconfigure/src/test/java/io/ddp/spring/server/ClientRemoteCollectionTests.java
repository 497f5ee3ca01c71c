package io.ddp.spring.server;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.client.RemoteCollection;
import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The client's {@link RemoteCollection} writes against this project's server over a real
 * socket: inserts carry a {@code randomSeed} from which client and server draw the same
 * id (appendix A), updates and removes go through the mutator methods, and the local copy
 * follows through the subscription.
 */
@SpringBootTest(classes = CollectionTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClientRemoteCollectionTests {

	@LocalServerPort
	int port;

	@Autowired
	DdpCollection<Map<String, Object>> tasks;

	private DefaultDdpConnection connection;

	@BeforeEach
	void connect() {
		this.connection = new DefaultDdpConnection("collections",
				DdpClientOptions.builder(URI.create("ws://127.0.0.1:" + this.port + "/websocket")).build(),
				Ejson.createDefault());
		this.connection.connect();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.connection.status().state() == ConnectionState.CONNECTED);
	}

	@AfterEach
	void close() {
		this.connection.close();
	}

	@Test
	@SuppressWarnings({ "rawtypes", "unchecked" })
	void insertUpdateRemoveThroughMutatorsWithTheServersIds() throws Exception {
		this.connection.subscribe("tasks", "client").ready().get(10, TimeUnit.SECONDS);
		RemoteCollection<Map> local = this.connection.collection("tasks", Map.class);
		List<String> events = new CopyOnWriteArrayList<>();
		local.addListener(new RemoteCollection.Listener<>() {
			@Override
			public void added(String id, Map document) {
				events.add("added " + id);
			}

			@Override
			public void changed(String id, Map document, @Nullable Map previous) {
				events.add("changed " + id + " " + document.get("text"));
			}

			@Override
			public void removed(String id, @Nullable Map previous) {
				events.add("removed " + id);
			}
		});
		Map<String, Object> task = new LinkedHashMap<>();
		task.put("list", "client");
		task.put("text", "write tests");
		String id = local.insert(task).get(10, TimeUnit.SECONDS);
		assertThat(id).hasSize(17);
		// the server stored the document under the id the client drew from the seed
		assertThat(this.tasks.findById(id)).isPresent();
		await().atMost(Duration.ofSeconds(10)).until(() -> local.findById(id).isPresent());
		assertThat(local.findById(id).get()).containsEntry("_id", id).containsEntry("text", "write tests");

		assertThat(local.update(id, Map.of("$set", Map.of("text", "done"))).get(10, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(local.findById(id).get()).containsEntry("text", "done");

		assertThat(local.remove(id).get(10, TimeUnit.SECONDS)).isEqualTo(1);
		assertThat(local.findById(id)).isEmpty();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events).containsExactly("added " + id, "changed " + id + " done",
					"removed " + id));
	}

	@Test
	@SuppressWarnings("rawtypes")
	void deniedInsertFailsWithTheServersError() {
		RemoteCollection<Map> local = this.connection.collection("tasks", Map.class);
		CompletableFuture<String> insert = local.insert(Map.of("list", "client", "text", "forbidden"));
		ExecutionException ex = assertThrows(ExecutionException.class, () -> insert.get(10, TimeUnit.SECONDS));
		assertThat(ex.getCause()).isInstanceOf(DdpException.class);
		assertThat(((DdpException) ex.getCause()).hasError(403)).isTrue();
	}

}
