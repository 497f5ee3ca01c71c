package io.ddp.spring.server.publication;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * An immutable version of a document's fields, made once by a publisher (for example a
 * reactive cursor, for each version of a document it observes) and handed to the
 * {@link MergeBox} of every session that publishes the document. A session whose client
 * gets the document from a single subscription keeps only a reference to the snapshot, so
 * a thousand sessions watching the same documents share one copy of their values.
 * <p>
 * Values are deep-copied with {@link Ejson#clone(Object)} when a snapshot is made and
 * must not be changed afterwards, neither through {@link #asMap()} nor by whoever
 * receives them from a {@link MergeBoxOutput}. The {@code _id} field is never part of a
 * snapshot. Fields keep their order.
 * <p>
 * Instances are immutable and thread-safe. Equality is identity; compare contents with
 * {@link Ejson#equals(Object, Object)} on {@link #asMap()}.
 *
 * @since 0.1.0
 */
public final class DocumentSnapshot {

	/**
	 * A document without fields.
	 */
	public static final DocumentSnapshot EMPTY = new DocumentSnapshot(new String[0], new Object[0], null);

	// Up to this many fields a linear search beats hashing and costs no memory
	private static final int INDEX_THRESHOLD = 8;

	private static final String ID = "_id";

	private final String[] keys;

	private final @Nullable Object[] values;

	// Field name to position, built on first use for larger documents. Map.copyOf is
	// immutable with final fields, so a racy initialization publishes it safely.
	private @Nullable Map<String, Integer> index;

	// The last added / changed message made for this version, shared by the sessions
	// of a fan-out. Racy caches of immutable objects: a lost update costs a second
	// diff, nothing more. The next version clears the changed one (see changedMessage).
	private @Nullable SharedMessage added;

	private @Nullable SharedMessage changed;

	private DocumentSnapshot(String[] keys, @Nullable Object[] values, @Nullable Map<String, Integer> index) {
		this.keys = keys;
		this.values = values;
		this.index = index;
	}

	/**
	 * Create a snapshot of the given fields, deep-copying their values. {@code _id} and
	 * fields mapped to {@link MergeBox#UNDEFINED} are left out; {@code null} is the JSON
	 * {@code null} value.
	 * @param fields the fields, in order
	 * @return the snapshot
	 */
	public static DocumentSnapshot of(Map<String, ? extends @Nullable Object> fields) {
		return build(fields, true);
	}

	/**
	 * Build a snapshot of values the caller already owns, without copying them.
	 */
	static DocumentSnapshot ofOwned(Map<String, ? extends @Nullable Object> fields) {
		return build(fields, false);
	}

	/**
	 * Wrap arrays the caller hands over; they must not be used afterwards.
	 */
	static DocumentSnapshot ofOwned(String[] keys, @Nullable Object[] values) {
		return (keys.length != 0) ? new DocumentSnapshot(keys, values, null) : EMPTY;
	}

	private static DocumentSnapshot build(Map<String, ? extends @Nullable Object> fields, boolean copy) {
		String[] keys = new String[fields.size()];
		@Nullable Object[] values = new Object[keys.length];
		int size = 0;
		for (Map.Entry<String, ? extends @Nullable Object> entry : fields.entrySet()) {
			Object value = entry.getValue();
			if (!ID.equals(entry.getKey()) && value != MergeBox.UNDEFINED) {
				keys[size] = entry.getKey();
				values[size] = copy ? Ejson.clone(value) : value;
				size++;
			}
		}
		if (size == 0) {
			return EMPTY;
		}
		if (size < keys.length) {
			keys = Arrays.copyOf(keys, size);
			values = Arrays.copyOf(values, size);
		}
		return new DocumentSnapshot(keys, values, null);
	}

	/**
	 * Return the next version of this document: the given fields set to new values
	 * (deep-copied) or, when mapped to {@link MergeBox#UNDEFINED}, removed. Fields that
	 * stay keep their position; new ones are appended. {@code _id} is ignored.
	 * @param changes the changed fields
	 * @return the new snapshot, or this one when {@code changes} is empty
	 */
	public DocumentSnapshot with(Map<String, ? extends @Nullable Object> changes) {
		return apply(changes, true);
	}

	/**
	 * Like {@link #with(Map)} for values the caller already owns.
	 */
	DocumentSnapshot withOwned(Map<String, ? extends @Nullable Object> changes) {
		return apply(changes, false);
	}

	private DocumentSnapshot apply(Map<String, ? extends @Nullable Object> changes, boolean copy) {
		@Nullable Object[] newValues = null;
		boolean[] removed = null;
		int removedCount = 0;
		List<String> addedKeys = null;
		List<@Nullable Object> addedValues = null;
		for (Map.Entry<String, ? extends @Nullable Object> entry : changes.entrySet()) {
			String key = entry.getKey();
			if (ID.equals(key)) {
				continue;
			}
			Object value = entry.getValue();
			int i = indexOf(key);
			if (value == MergeBox.UNDEFINED) {
				if (i >= 0) {
					if (removed == null) {
						removed = new boolean[this.keys.length];
					}
					removed[i] = true;
					removedCount++;
				}
				continue;
			}
			value = copy ? Ejson.clone(value) : value;
			if (i >= 0) {
				if (newValues == null) {
					newValues = this.values.clone();
				}
				newValues[i] = value;
			}
			else {
				if (addedKeys == null || addedValues == null) {
					addedKeys = new ArrayList<>();
					addedValues = new ArrayList<>();
				}
				addedKeys.add(key);
				addedValues.add(value);
			}
		}
		if (removedCount == 0 && addedKeys == null) {
			// Same field names: share the names and their index with this version
			return (newValues != null) ? new DocumentSnapshot(this.keys, newValues, this.index) : this;
		}
		@Nullable Object[] source = (newValues != null) ? newValues : this.values;
		int added = (addedKeys != null) ? addedKeys.size() : 0;
		int size = this.keys.length - removedCount + added;
		String[] keys = new String[size];
		@Nullable Object[] values = new Object[size];
		int j = 0;
		for (int i = 0; i < this.keys.length; i++) {
			if (removed == null || !removed[i]) {
				keys[j] = this.keys[i];
				values[j++] = source[i];
			}
		}
		if (addedKeys != null && addedValues != null) {
			for (int i = 0; i < added; i++) {
				keys[j] = addedKeys.get(i);
				values[j++] = addedValues.get(i);
			}
		}
		return ofOwned(keys, values);
	}

	/**
	 * Return the version of this document that has only the fields whose names pass the
	 * filter, sharing their values (a projection, made once and handed to every session
	 * that sees it).
	 * @param fieldFilter tells which field names to keep
	 * @return the projected snapshot, or this one when every field passes
	 */
	public DocumentSnapshot select(Predicate<? super String> fieldFilter) {
		boolean[] keep = new boolean[this.keys.length];
		int size = 0;
		for (int i = 0; i < this.keys.length; i++) {
			keep[i] = fieldFilter.test(this.keys[i]);
			size += keep[i] ? 1 : 0;
		}
		if (size == this.keys.length) {
			return this;
		}
		String[] keys = new String[size];
		@Nullable Object[] values = new Object[size];
		int j = 0;
		for (int i = 0; i < this.keys.length; i++) {
			if (keep[i]) {
				keys[j] = this.keys[i];
				values[j++] = this.values[i];
			}
		}
		return ofOwned(keys, values);
	}

	/**
	 * Return the number of fields.
	 * @return the number of fields
	 */
	public int size() {
		return this.keys.length;
	}

	/**
	 * Return whether the document has no fields.
	 * @return whether there are no fields
	 */
	public boolean isEmpty() {
		return this.keys.length == 0;
	}

	/**
	 * Return whether the document has the given field.
	 * @param field the field name
	 * @return whether the field is present
	 */
	public boolean containsKey(String field) {
		return indexOf(field) >= 0;
	}

	/**
	 * Return a field's value.
	 * @param field the field name
	 * @return the value, {@code null} for a JSON {@code null} or a missing field
	 */
	public @Nullable Object get(String field) {
		int i = indexOf(field);
		return (i >= 0) ? this.values[i] : null;
	}

	/**
	 * Return a read-only view of the fields, in order.
	 * @return the fields
	 */
	public Map<String, @Nullable Object> asMap() {
		return new FieldMap(this);
	}

	int indexOf(String field) {
		String[] keys = this.keys;
		if (keys.length <= INDEX_THRESHOLD) {
			for (int i = 0; i < keys.length; i++) {
				if (keys[i].equals(field)) {
					return i;
				}
			}
			return -1;
		}
		Map<String, Integer> index = this.index;
		if (index == null) {
			Map<String, Integer> positions = new HashMap<>(keys.length * 2);
			for (int i = 0; i < keys.length; i++) {
				positions.put(keys[i], i);
			}
			index = Map.copyOf(positions);
			this.index = index;
		}
		Integer i = index.get(field);
		return (i != null) ? i : -1;
	}

	String keyAt(int i) {
		return this.keys[i];
	}

	@Nullable Object valueAt(int i) {
		return this.values[i];
	}

	/**
	 * Put into {@code delta} what turns {@code from} into {@code to}: fields of
	 * {@code to} that are new or not EJSON-equal, in {@code to}'s order, then the fields
	 * that {@code to} lacks, mapped to {@link MergeBox#UNDEFINED}.
	 */
	static void diff(DocumentSnapshot from, DocumentSnapshot to, Map<String, @Nullable Object> delta) {
		if (from == to) {
			return;
		}
		if (from.keys == to.keys) {
			// Versions of the same shape: compare position by position
			for (int i = 0; i < to.keys.length; i++) {
				if (!Ejson.equals(from.values[i], to.values[i])) {
					delta.put(to.keys[i], to.values[i]);
				}
			}
			return;
		}
		for (int i = 0; i < to.keys.length; i++) {
			int j = from.indexOf(to.keys[i]);
			if (j < 0 || !Ejson.equals(from.values[j], to.values[i])) {
				delta.put(to.keys[i], to.values[i]);
			}
		}
		for (int i = 0; i < from.keys.length; i++) {
			if (to.indexOf(from.keys[i]) < 0) {
				delta.put(from.keys[i], MergeBox.UNDEFINED);
			}
		}
	}

	/**
	 * Return the {@code added} message that announces this version as a whole document,
	 * made once for every session that sends it.
	 */
	SharedMessage addedMessage(String collection, String id) {
		SharedMessage message = this.added;
		if (message == null || !message.isFor(true, null, collection, id)) {
			message = SharedMessage.added(collection, id, this);
			this.added = message;
		}
		return message;
	}

	/**
	 * Return the {@code changed} message that moves a client from {@code from} to this
	 * version, made once for every session that had {@code from}.
	 */
	SharedMessage changedMessage(DocumentSnapshot from, String collection, String id) {
		SharedMessage message = this.changed;
		if (message == null || !message.isFor(false, from, collection, id)) {
			message = SharedMessage.changed(from, this, collection, id);
			this.changed = message;
			// The message holds 'from', and the message cached in 'from' holds its own
			// predecessor: kept, every version a session moved through stays reachable
			// from the newest one for as long as the session lives (measured: 40,000
			// versions after 40 s of 1,000 writes/s). Sessions move to the newest
			// version, so 'from' needs its message no more; a fan-out still moving to
			// it makes its message again.
			from.changed = null;
		}
		return message;
	}

	@Override
	public String toString() {
		return asMap().toString();
	}

	/**
	 * Read-only map view of a snapshot.
	 */
	private static final class FieldMap extends AbstractMap<String, @Nullable Object> {

		private final DocumentSnapshot snapshot;

		FieldMap(DocumentSnapshot snapshot) {
			this.snapshot = snapshot;
		}

		@Override
		public int size() {
			return this.snapshot.size();
		}

		@Override
		public boolean containsKey(Object key) {
			return (key instanceof String field) && this.snapshot.containsKey(field);
		}

		@Override
		public @Nullable Object get(Object key) {
			return (key instanceof String field) ? this.snapshot.get(field) : null;
		}

		@Override
		public Set<Map.Entry<String, @Nullable Object>> entrySet() {
			return new AbstractSet<>() {

				@Override
				public int size() {
					return FieldMap.this.snapshot.size();
				}

				@Override
				public Iterator<Map.Entry<String, @Nullable Object>> iterator() {
					return new Iterator<>() {

						private int next;

						@Override
						public boolean hasNext() {
							return this.next < FieldMap.this.snapshot.size();
						}

						@Override
						public Map.Entry<String, @Nullable Object> next() {
							if (!hasNext()) {
								throw new NoSuchElementException();
							}
							int i = this.next++;
							return new SimpleImmutableEntry<>(FieldMap.this.snapshot.keyAt(i),
									FieldMap.this.snapshot.valueAt(i));
						}

					};
				}

			};
		}

	}

}
