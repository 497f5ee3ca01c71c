package io.ddp.spring.test.tester;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.ServerSubscription;

/**
 * A todo list served by methods and a live publication, for the tester's own tests.
 */
class TodoFixture {

	private final Map<String, Todo> todos = new LinkedHashMap<>();

	private final AtomicInteger ids = new AtomicInteger();

	private final List<ServerSubscription> watchers = new CopyOnWriteArrayList<>();

	void register(DdpMethodRegistry methods, DdpPublicationRegistry publications) {
		methods.register("add", (invocation, args) -> add(args.get(0, String.class)));
		methods.register("done", (invocation, args) -> {
			update(args.get(0, String.class), true);
			return DdpMethodHandler.NO_RESULT;
		});
		methods.register("remove", (invocation, args) -> {
			remove(args.get(0, String.class));
			return DdpMethodHandler.NO_RESULT;
		});
		methods.register("clear", (invocation, args) -> DdpMethodHandler.NO_RESULT);
		methods.register("count", (invocation, args) -> list().size());
		methods.register("list", (invocation, args) -> list());
		methods.register("find", (invocation, args) -> find(args.get(0, String.class)));
		methods.register("whoami", (invocation, args) -> invocation.userId());
		methods.register("connection", (invocation, args) -> {
			var connection = invocation.connection();
			return Map.of("address", String.valueOf(connection.clientAddress()), "headers", connection.httpHeaders(),
					"transport", connection.transport());
		});
		publications.register("todos", (subscription, args) -> {
			synchronized (this) {
				this.todos.values().forEach((todo) -> subscription.added("todos", todo.id(), fields(todo)));
				this.watchers.add(subscription);
			}
			subscription.onStop(() -> this.watchers.remove(subscription));
			subscription.ready();
			return null;
		});
		publications.register("mine", (subscription, args) -> {
			String userId = subscription.userId();
			if (userId == null) {
				throw new DdpException(401, "Log in first");
			}
			subscription.added("me", userId, Map.of("user", userId));
			subscription.ready();
			return null;
		});
	}

	private synchronized String add(String title) {
		Todo todo = new Todo("t" + this.ids.incrementAndGet(), title, false);
		this.todos.put(todo.id(), todo);
		this.watchers.forEach((watcher) -> watcher.added("todos", todo.id(), fields(todo)));
		return todo.id();
	}

	private synchronized void update(String id, boolean done) {
		Todo todo = this.todos.computeIfPresent(id, (key, old) -> new Todo(old.id(), old.title(), done));
		if (todo != null) {
			this.watchers.forEach((watcher) -> watcher.changed("todos", id, Map.of("done", done)));
		}
	}

	private synchronized void remove(String id) {
		if (this.todos.remove(id) == null) {
			throw new DdpException(404, "No such todo", Map.of("id", id));
		}
		this.watchers.forEach((watcher) -> watcher.removed("todos", id));
	}

	private synchronized List<Todo> list() {
		return new ArrayList<>(this.todos.values());
	}

	private synchronized Todo find(String id) {
		return this.todos.get(id);
	}

	private static Map<String, Object> fields(Todo todo) {
		return Map.of("title", todo.title(), "done", todo.done());
	}

	record Todo(String _id, String title, boolean done) {

		String id() {
			return this._id;
		}

	}

}
