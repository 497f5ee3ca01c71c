package io.ddp.sample.todo;

import io.ddp.spring.collection.AllowDenyRules;
import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethodRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The todo list's reactive collection. Meteor clients may also write to it directly
 * through {@code /todos/insert}, {@code /todos/update} and {@code /todos/remove}, as with
 * a Meteor collection: inserts need non-empty text, and nobody may rename {@code _id}.
 */
@Configuration(proxyBeanMethods = false)
class TodoConfiguration {

	@Bean
	DdpCollection<Todo> todos(Ejson ejson, DdpMethodRegistry methods, ObjectProvider<PostgresDocumentStores> stores) {
		AllowDenyRules<Todo> rules = AllowDenyRules.<Todo>none()
			.allowInsert((userId, todo) -> todo.text() != null && !todo.text().isBlank())
			.allowUpdate((userId, todo, fields, modifier) -> !fields.contains("_id"))
			.allowRemove((userId, todo) -> true);
		// In PostgreSQL with the 'postgres' profile (table ddp_todos), in memory
		// otherwise.
		PostgresDocumentStores postgres = stores.getIfAvailable();
		DdpCollection<Todo> todos = (postgres != null)
				? new DdpCollection<>("todos", Todo.class, ejson, postgres.store("todos"))
				: new DdpCollection<>("todos", Todo.class, ejson);
		return todos.exposeMutators(methods, rules);
	}

}
