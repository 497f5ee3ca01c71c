package io.ddp.spring.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the tester's own tests drive: a notes list with methods, a live
 * publication and a per-user one.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class TesterTestApplication {

	@Bean
	Notes notes() {
		return new Notes();
	}

	record Note(String _id, String text) {
	}

	static class Notes {

		private final Map<String, String> notes = new LinkedHashMap<>();

		private final AtomicInteger ids = new AtomicInteger();

		private final CopyOnWriteArrayList<ServerSubscription> watchers = new CopyOnWriteArrayList<>();

		@DdpMethod("notes.add")
		public synchronized String add(String text) {
			String id = "n" + this.ids.incrementAndGet();
			this.notes.put(id, text);
			this.watchers.forEach((watcher) -> watcher.added("notes", id, Map.of("text", text)));
			return id;
		}

		@DdpMethod("notes.get")
		public synchronized Note get(String id) {
			String text = this.notes.get(id);
			if (text == null) {
				throw new DdpException(404, "No such note", Map.of("id", id));
			}
			return new Note(id, text);
		}

		@DdpMethod
		public String whoami(DdpMethodInvocation invocation) {
			return invocation.userId();
		}

		@DdpMethod
		public Map<String, Object> connection(ClientConnection connection) {
			return Map.of("address", String.valueOf(connection.clientAddress()), "transport", connection.transport());
		}

		@DdpPublication
		public void notes(ServerSubscription subscription) {
			synchronized (this) {
				this.notes.forEach((id, text) -> subscription.added("notes", id, Map.of("text", text)));
				this.watchers.add(subscription);
			}
			subscription.onStop(() -> this.watchers.remove(subscription));
			subscription.ready();
		}

		@DdpPublication
		public void mine(ServerSubscription subscription) {
			if (subscription.userId() == null) {
				throw new DdpException(401, "Log in first");
			}
			subscription.added("me", subscription.userId(), Map.of("since", "now"));
			subscription.ready();
		}

	}

}
