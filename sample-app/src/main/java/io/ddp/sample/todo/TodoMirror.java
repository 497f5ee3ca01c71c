package io.ddp.sample.todo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.ddp.spring.client.DdpClient;
import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpSubscription;
import io.ddp.spring.client.RemoteCollection;
import io.ddp.spring.server.method.DdpMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Service;

/**
 * The DDP client at work in a service: mirrors the {@code todos} publication of the
 * server the {@code remote} connection points at (this application itself by default)
 * into the connection's local collection, and serves what it holds as
 * {@code todos.mirror}. Pointed at a server without that publication, the call answers
 * the server's {@code nosub} error.
 */
@Service
public class TodoMirror {

	private final DdpConnection remote;

	private @Nullable DdpSubscription subscription;

	public TodoMirror(@DdpClient("remote") DdpConnection remote) {
		this.remote = remote;
	}

	/**
	 * Return the remote todos as the client's local collection holds them, once the
	 * subscription is ready.
	 * @return the documents (fields and {@code _id})
	 */
	@DdpMethod("todos.mirror")
	public CompletableFuture<List<Map<String, Object>>> mirror() {
		RemoteCollection<Map<String, Object>> todos = this.remote.collection("todos", mapType());
		return subscription().ready().thenApply((ready) -> todos.findAll());
	}

	// Subscribed on first use and kept: it follows the remote server across reconnects
	private synchronized DdpSubscription subscription() {
		DdpSubscription current = this.subscription;
		if (current == null || current.ready().isCompletedExceptionally()) {
			current = this.remote.subscribe("todos");
			this.subscription = current;
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private static Class<Map<String, Object>> mapType() {
		return (Class<Map<String, Object>>) (Class<?>) Map.class;
	}

}
