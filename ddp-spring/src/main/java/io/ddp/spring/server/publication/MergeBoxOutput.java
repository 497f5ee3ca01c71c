package io.ddp.spring.server.publication;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Receives the data messages a {@link MergeBox} decides to send to its client, typically
 * by writing {@code added}, {@code changed} and {@code removed} frames.
 * <p>
 * Field maps are read-only and may be views of state that changes after the call returns
 * (or of the publisher's own map, for the strategies that forward calls), so an
 * implementation must encode or copy them before returning. A {@code null} field value is
 * the JSON {@code null} value. Calls happen on the thread that called the merge box.
 *
 * @since 0.1.0
 */
public interface MergeBoxOutput {

	/**
	 * Send {@code added}. An empty map means a message without {@code fields}.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the document's fields, in order; never contains
	 * {@link MergeBox#UNDEFINED}
	 */
	void added(String collection, String id, Map<String, @Nullable Object> fields);

	/**
	 * Send {@code changed}. At least one of {@code fields} and {@code cleared} is not
	 * empty; an empty one is left out of the message.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the fields with new values, in order; never contains
	 * {@link MergeBox#UNDEFINED}
	 * @param cleared the names of removed fields, in order
	 */
	void changed(String collection, String id, Map<String, @Nullable Object> fields, List<String> cleared);

	/**
	 * Send a message that other sessions may send alike (a fan-out of one document
	 * version). The default sends it through {@link #added} or {@link #changed}; an
	 * output that encodes frames can encode it once with {@link SharedMessage#frame}.
	 * @param message the message; never an empty {@code changed}
	 */
	default void send(SharedMessage message) {
		if (message.isAdded()) {
			added(message.collection(), message.id(), message.fields());
		}
		else {
			changed(message.collection(), message.id(), message.fields(), message.cleared());
		}
	}

	/**
	 * Send {@code removed}.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 */
	void removed(String collection, String id);

}
