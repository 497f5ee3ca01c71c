package io.ddp.sample.todo;

import java.time.Instant;

/**
 * A todo item; {@code id} travels as the document's {@code _id}.
 *
 * @param id the document id
 * @param text what to do
 * @param done whether it is done
 * @param createdAt when it was added (a {@code $date} on the wire)
 */
public record Todo(String id, String text, boolean done, Instant createdAt) {

	Todo toggled() {
		return new Todo(this.id, this.text, !this.done, this.createdAt);
	}

}
