package io.ddp.sample.todo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;

import org.springframework.stereotype.Service;

/**
 * The todo list's methods and publications. Every subscribed client sees changes live.
 */
@Service
public class TodoService {

	private static final int MAX_LATEST = 100;

	private final DdpCollection<Todo> todos;

	private final AtomicReference<Instant> lastCreated = new AtomicReference<>(Instant.EPOCH);

	TodoService(DdpCollection<Todo> todos) {
		this.todos = todos;
	}

	/** All todos, live. */
	@DdpPublication("todos")
	public DdpCursor<Todo> all() {
		return this.todos.find();
	}

	/** Only the open ones; equal criteria let every subscriber share one live query. */
	@DdpPublication("todos.open")
	public DdpCursor<Todo> open() {
		return this.todos.find(Criteria.where("done").is(false));
	}

	/**
	 * The {@code n} most recent todos, newest first, live: a todo added pushes the oldest
	 * out of every subscriber's window, and removing one brings the next back. Clients
	 * sort them by {@code createdAt} themselves.
	 * @param n how many, 1 to 100
	 * @return the window
	 */
	@DdpPublication("todos.latest")
	public DdpCursor<Todo> latest(int n) {
		if (n < 1 || n > MAX_LATEST) {
			throw new DdpException(400, "n must be between 1 and " + MAX_LATEST);
		}
		return this.todos.find(DdpQuery.all().sort(Sort.by("createdAt").descending()).limit(n));
	}

	/** Add a todo; the id follows the client's randomSeed, as a Meteor insert's would. */
	@DdpMethod("todos.add")
	public String add(String text) {
		if (text == null || text.isBlank()) {
			throw new DdpException(400, "Text required");
		}
		return this.todos.insert(new Todo(null, text.strip(), false, nextCreationTime()));
	}

	// Strictly increasing, so that "the latest" is well defined even within a millisecond
	private Instant nextCreationTime() {
		return this.lastCreated.updateAndGet((last) -> {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
			return now.isAfter(last) ? now : last.plusMillis(1);
		});
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
