package io.ddp.sample.todo;

import java.time.Instant;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;

import org.springframework.stereotype.Service;

/**
 * The todo list's methods and publications. Every subscribed client sees changes live.
 */
@Service
public class TodoService {

	private final DdpCollection<Todo> todos;

	TodoService(DdpCollection<Todo> todos) {
		this.todos = todos;
	}

	/** All todos, live. */
	@DdpPublication("todos")
	public DdpCursor<Todo> all() {
		return this.todos.find();
	}

	/** Only the open ones; the key lets every subscriber share one live query. */
	@DdpPublication("todos.open")
	public DdpCursor<Todo> open() {
		return this.todos.find("open", (todo) -> !todo.done());
	}

	/** Add a todo; the id follows the client's randomSeed, as a Meteor insert's would. */
	@DdpMethod("todos.add")
	public String add(String text) {
		if (text == null || text.isBlank()) {
			throw new DdpException(400, "Text required");
		}
		return this.todos.insert(new Todo(null, text.strip(), false, Instant.now()));
	}

	@DdpMethod("todos.toggle")
	public boolean toggle(String id) {
		if (!this.todos.update(id, Todo::toggled)) {
			throw new DdpException(404, "No todo " + id);
		}
		return this.todos.findById(id).map(Todo::done).orElse(false);
	}

	@DdpMethod("todos.remove")
	public void remove(String id) {
		this.todos.remove(id);
	}

}
