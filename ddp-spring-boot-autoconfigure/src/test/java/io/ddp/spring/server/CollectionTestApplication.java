package io.ddp.spring.server;

import java.util.List;
import java.util.Map;

import io.ddp.spring.collection.AllowDenyRules;
import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublication;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the reactive-collection tests talk to over real sockets: a typed
 * collection written by methods, map collections with mutator methods, and cursor
 * publications.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class CollectionTestApplication {

	record Todo(String id, String list, String text, boolean done) {
	}

	@Bean
	DdpCollection<Todo> todos(Ejson ejson) {
		return new DdpCollection<>("todos", Todo.class, ejson);
	}

	@Bean
	DdpCollection<Map<String, Object>> notes(Ejson ejson) {
		return DdpCollection.ofMaps("notes", ejson);
	}

	// Meteor's collection from appendix A, writable by clients within its rules
	@Bean
	DdpCollection<Map<String, Object>> tasks(Ejson ejson, DdpMethodRegistry methods) {
		return DdpCollection.ofMaps("tasks", ejson)
			.exposeMutators(methods,
					AllowDenyRules.<Map<String, Object>>none()
						.allowInsert((userId, task) -> true)
						.denyInsert((userId, task) -> "forbidden".equals(task.get("text")))
						.allowUpdate((userId, task, fields, modifier) -> true)
						.denyUpdate((userId, task, fields, modifier) -> fields.contains("list"))
						.allowRemove((userId, task) -> true));
	}

	// Mutators without rules: everything is denied
	@Bean
	DdpCollection<Map<String, Object>> secrets(Ejson ejson, DdpMethodRegistry methods) {
		return DdpCollection.ofMaps("secrets", ejson).exposeMutators(methods, AllowDenyRules.none());
	}

	@Bean
	TodoMethods todoMethods(DdpCollection<Todo> todos) {
		return new TodoMethods(todos);
	}

	@Bean
	CollectionPublications collectionPublications(DdpCollection<Todo> todos, DdpCollection<Map<String, Object>> notes,
			DdpCollection<Map<String, Object>> tasks) {
		return new CollectionPublications(todos, notes, tasks);
	}

	static class TodoMethods {

		private final DdpCollection<Todo> todos;

		TodoMethods(DdpCollection<Todo> todos) {
			this.todos = todos;
		}

		@DdpMethod("todos.add")
		public String add(String list, String text) {
			return this.todos.insert(new Todo(null, list, text, false));
		}

		@DdpMethod("todos.rename")
		public boolean rename(String id, String text) {
			return this.todos.update(id, (todo) -> new Todo(todo.id(), todo.list(), text, todo.done()));
		}

		@DdpMethod("todos.setDone")
		public boolean setDone(String id, boolean done) {
			return this.todos.update(id, Map.of("$set", Map.of("done", done)));
		}

		@DdpMethod("todos.remove")
		public boolean remove(String id) {
			return this.todos.remove(id);
		}

	}

	static class CollectionPublications {

		private final DdpCollection<Todo> todos;

		private final DdpCollection<Map<String, Object>> notes;

		private final DdpCollection<Map<String, Object>> tasks;

		CollectionPublications(DdpCollection<Todo> todos, DdpCollection<Map<String, Object>> notes,
				DdpCollection<Map<String, Object>> tasks) {
			this.todos = todos;
			this.notes = notes;
			this.tasks = tasks;
		}

		@DdpPublication
		public DdpCursor<Todo> openTodos(String list) {
			return this.todos.find("open:" + list, (todo) -> todo.list().equals(list) && !todo.done());
		}

		@DdpPublication
		public DdpCursor<Todo> todoTexts(String list) {
			return this.todos.find("list:" + list, (todo) -> todo.list().equals(list)).include("text");
		}

		@DdpPublication
		public List<DdpCursor<?>> todosAndNotes(String list) {
			return List.of(this.todos.find("list:" + list, (todo) -> todo.list().equals(list)),
					this.notes.find("list:" + list, (note) -> list.equals(note.get("list"))));
		}

		@DdpPublication
		public List<DdpCursor<Todo>> twoTodoCursors(String list) {
			return List.of(this.todos.find("open:" + list, (todo) -> todo.list().equals(list) && !todo.done()),
					this.todos.find("list:" + list, (todo) -> todo.list().equals(list)));
		}

		@DdpPublication
		public List<Object> cursorAndValue(String list) {
			return List.of(this.todos.find("list:" + list, (todo) -> todo.list().equals(list)), "not a cursor");
		}

		@DdpPublication
		public DdpCursor<?>[] noCursors() {
			return new DdpCursor<?>[0];
		}

		@DdpPublication
		public DdpCursor<Map<String, Object>> tasks(String list) {
			return this.tasks.find("list:" + list, (task) -> list.equals(task.get("list")));
		}

	}

}
