package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.DdpFrames;
import org.jspecify.annotations.Nullable;

/**
 * An {@code added} or {@code changed} message that every session moving a document
 * between the same two {@link DocumentSnapshot}s sends alike: worked out once per fan-out
 * and encoded once, so a write seen by ten thousand sessions costs one diff and one JSON
 * encoding instead of ten thousand. Each snapshot remembers the last message made for it
 * (see {@link DocumentSnapshot#addedMessage} and
 * {@link DocumentSnapshot#changedMessage}).
 * <p>
 * Thread-safe: the content is final, and the encoded frame is cached in a volatile field;
 * two threads encoding at once both get an equal frame.
 *
 * @since 0.1.0
 */
public final class SharedMessage {

	private final boolean added;

	// The version a changed message starts from
	private final @Nullable DocumentSnapshot from;

	private final String collection;

	private final String id;

	private final Map<String, @Nullable Object> fields;

	private final List<String> cleared;

	private volatile @Nullable EncodedFrame frame;

	private SharedMessage(boolean added, @Nullable DocumentSnapshot from, String collection, String id,
			Map<String, @Nullable Object> fields, List<String> cleared) {
		this.added = added;
		this.from = from;
		this.collection = collection;
		this.id = id;
		this.fields = fields;
		this.cleared = cleared;
	}

	static SharedMessage added(String collection, String id, DocumentSnapshot fields) {
		return new SharedMessage(true, null, collection, id, fields.asMap(), List.of());
	}

	static SharedMessage changed(DocumentSnapshot from, DocumentSnapshot to, String collection, String id) {
		Map<String, @Nullable Object> delta = new LinkedHashMap<>();
		DocumentSnapshot.diff(from, to, delta);
		return changed(from, collection, id, FieldMaps.nullable(delta));
	}

	/**
	 * A {@code changed} message for a delta whose removed fields map to
	 * {@link MergeBox#UNDEFINED}.
	 */
	static SharedMessage changed(@Nullable DocumentSnapshot from, String collection, String id,
			Map<String, ? extends @Nullable Object> delta) {
		if (!delta.containsValue(MergeBox.UNDEFINED)) {
			return new SharedMessage(false, from, collection, id,
					Collections.<String, @Nullable Object>unmodifiableMap(delta), List.of());
		}
		Map<String, @Nullable Object> set = new LinkedHashMap<>();
		List<String> cleared = new ArrayList<>(2);
		delta.forEach((key, value) -> {
			if (value != MergeBox.UNDEFINED) {
				set.put(key, value);
			}
			else {
				cleared.add(key);
			}
		});
		return new SharedMessage(false, from, collection, id,
				Collections.<String, @Nullable Object>unmodifiableMap(set), Collections.unmodifiableList(cleared));
	}

	boolean isFor(boolean added, @Nullable DocumentSnapshot from, String collection, String id) {
		return this.added == added && this.from == from && this.collection.equals(collection) && this.id.equals(id);
	}

	/**
	 * Return whether this is an {@code added} message.
	 * @return {@code true} for {@code added}, {@code false} for {@code changed}
	 */
	public boolean isAdded() {
		return this.added;
	}

	/**
	 * Return whether a {@code changed} message has nothing to say (and must not be sent).
	 * @return whether no field changed
	 */
	public boolean isEmpty() {
		return !isAdded() && this.fields.isEmpty() && this.cleared.isEmpty();
	}

	/**
	 * Return the collection name.
	 * @return the collection
	 */
	public String collection() {
		return this.collection;
	}

	/**
	 * Return the document id as it goes on the wire.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the fields: all of them for {@code added}, the new values for
	 * {@code changed}. Read-only, never containing {@link MergeBox#UNDEFINED}.
	 * @return the fields
	 */
	public Map<String, @Nullable Object> fields() {
		return this.fields;
	}

	/**
	 * Return the removed field names of a {@code changed} message.
	 * @return the cleared fields, read-only
	 */
	public List<String> cleared() {
		return this.cleared;
	}

	/**
	 * Return the message as a frame written by {@code frames}, encoding it on first use.
	 * The frame is cached for one {@link DdpFrames} at a time: every session of a server
	 * shares the server's.
	 * @param frames writes the frame
	 * @return the frame
	 */
	public String frame(DdpFrames frames) {
		EncodedFrame encoded = this.frame;
		if (encoded == null || encoded.frames != frames) {
			String text = isAdded() ? frames.added(this.collection, this.id, FieldMaps.nullable(this.fields))
					: frames.changed(this.collection, this.id, FieldMaps.nullable(this.fields), this.cleared);
			encoded = new EncodedFrame(frames, text);
			this.frame = encoded;
		}
		return encoded.text;
	}

	private record EncodedFrame(DdpFrames frames, String text) {
	}

}
