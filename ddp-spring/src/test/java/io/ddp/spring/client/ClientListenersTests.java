package io.ddp.spring.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClientListeners}: deliveries on the callback thread, in order, and a
 * failing listener not stopping the others.
 */
class ClientListenersTests {

	private final CallbackRunner callbacks = new CallbackRunner("listeners-test");

	private final ClientListeners listeners = new ClientListeners("test", this.callbacks);

	private final List<String> seen = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopCallbacks() {
		this.callbacks.shutdown(1000);
	}

	@Test
	void eventsReachEveryListenerOnTheCallbackThreadDespiteAFailingOne() {
		this.listeners.add(new DdpClientListener() {
			@Override
			public void failed(String reason) {
				throw new IllegalStateException("listener bug");
			}
		});
		this.listeners.add(new DdpClientListener() {
			@Override
			public void failed(String reason) {
				ClientListenersTests.this.seen.add(reason + " on " + Thread.currentThread().getName());
			}
		});
		this.listeners.emit((listener) -> listener.failed("gone"));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.seen.isEmpty());
		assertThat(this.seen).containsExactly("gone on ddp-client-listeners-test-callbacks");
	}

	@Test
	void documentChangesReachTheirCollectionsListenersInOrder() throws Exception {
		AutoCloseable tasks = this.listeners.addCollectionListener("tasks",
				(change) -> this.seen.add(change.kind() + " " + change.id()));
		this.listeners.addCollectionListener("other", (change) -> this.seen.add("other " + change.id()));
		this.listeners.documentsChanged(List.of(change(DocumentChange.Kind.ADDED, "a"),
				change(DocumentChange.Kind.CHANGED, "a"), change(DocumentChange.Kind.REMOVED, "a")));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.seen.size() == 3);
		assertThat(this.seen).containsExactly("ADDED a", "CHANGED a", "REMOVED a");
		tasks.close();
		this.listeners.documentsChanged(List.of(change(DocumentChange.Kind.ADDED, "b")));
		// the callback thread runs in order: once the marker ran, "b" was delivered or
		// not
		this.listeners.add(new DdpClientListener() {
		});
		this.listeners.emit((listener) -> this.seen.add("marker"));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.seen.contains("marker"));
		assertThat(this.seen).containsExactly("ADDED a", "CHANGED a", "REMOVED a", "marker");
	}

	private static DocumentChange change(DocumentChange.Kind kind, String id) {
		return new DocumentChange(kind, "tasks", id, Map.of(), List.of(), null, null);
	}

}
