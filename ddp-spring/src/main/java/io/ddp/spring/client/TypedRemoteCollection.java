package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.query.DdpQuery;
import org.jspecify.annotations.Nullable;

/**
 * A typed view of one local collection of a {@link DefaultDdpConnection}. Every view of
 * the same name shares the same documents; documents are converted to {@code T} through
 * the EJSON mapper when read (maps are handed out as they are).
 *
 * @param <T> the document type
 * @since 0.1.0
 */
final class TypedRemoteCollection<T> implements RemoteCollection<T> {

	private final DefaultDdpConnection connection;

	private final String name;

	private final Class<T> type;

	private final LocalCollections store;

	private final Ejson ejson;

	TypedRemoteCollection(DefaultDdpConnection connection, String name, Class<T> type, LocalCollections store,
			Ejson ejson) {
		this.connection = connection;
		this.name = name;
		this.type = type;
		this.store = store;
		this.ejson = ejson;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public List<T> findAll() {
		return convertAll(this.store.snapshot(this.name));
	}

	@Override
	public Optional<T> findById(String id) {
		Map<String, @Nullable Object> doc = this.store.get(this.name, id);
		return (doc != null) ? Optional.of(convert(doc)) : Optional.empty();
	}

	@Override
	public List<T> find(Predicate<? super T> filter) {
		List<T> result = new ArrayList<>();
		for (T doc : findAll()) {
			if (filter.test(doc)) {
				result.add(doc);
			}
		}
		return result;
	}

	@Override
	public List<T> find(DdpQuery query) {
		Objects.requireNonNull(query, "'query' must not be null");
		return convertAll(run(query));
	}

	@Override
	public AutoCloseable observe(DdpQuery query, Consumer<List<T>> listener) {
		Objects.requireNonNull(query, "'query' must not be null");
		Objects.requireNonNull(listener, "'listener' must not be null");
		Consumer<List<Map<String, @Nullable Object>>> convertingListener = (
				List<Map<String, @Nullable Object>> documents) -> listener.accept(convertAll(documents));
		LiveQuery live = new LiveQuery(() -> run(query), convertingListener);
		return this.connection.addQueryListener(this.name, live::refresh);
	}

	// the server's query semantics (io.ddp.spring.query) over a snapshot of the local
	// documents. NullAway (JSpecify mode) does not model wildcards yet: it rejects a
	// Map<String, @Nullable Object> where a Map<String, ? extends @Nullable Object> is
	// expected, which is sound
	@SuppressWarnings("NullAway")
	private List<Map<String, @Nullable Object>> run(DdpQuery query) {
		List<Map<String, @Nullable Object>> selected = query.select(this.store.snapshot(this.name));
		if (query.fields().isAll()) {
			return selected;
		}
		List<Map<String, @Nullable Object>> projected = new ArrayList<>(selected.size());
		for (Map<String, @Nullable Object> document : selected) {
			projected.add(query.fields().apply(document));
		}
		return projected;
	}

	private List<T> convertAll(List<Map<String, @Nullable Object>> documents) {
		List<T> result = new ArrayList<>(documents.size());
		for (Map<String, @Nullable Object> document : documents) {
			result.add(convert(document));
		}
		return result;
	}

	@Override
	public int size() {
		return this.store.size(this.name);
	}

	@Override
	public AutoCloseable addListener(Listener<T> listener) {
		Consumer<DocumentChange> adapter = (change) -> {
			switch (change.kind()) {
				case ADDED -> listener.added(change.id(), convert(change.after()));
				case CHANGED -> listener.changed(change.id(), convert(change.after()), convertOrNull(change.before()));
				case REMOVED -> listener.removed(change.id(), convertOrNull(change.before()));
			}
		};
		return this.connection.addCollectionListener(this.name, adapter);
	}

	@Override
	public CompletableFuture<String> insert(T document) {
		Map<String, @Nullable Object> fields = toMap(document);
		Object id = fields.get(LocalCollections.ID);
		// Meteor's stub draws the id from the call's seed, stream "/collection/<name>",
		// so the server's id for the same seed is the same
		String seed = MeteorRandom.secure().hexString(20);
		if (id == null) {
			Map<String, @Nullable Object> withId = new LinkedHashMap<>();
			id = MeteorRandom.forStream(seed, "/collection/" + this.name).id();
			withId.put(LocalCollections.ID, id);
			fields.remove(LocalCollections.ID);
			withId.putAll(fields);
			fields = withId;
		}
		String expectedId = String.valueOf(id);
		return this.connection
			.invokeAsync("/" + this.name + "/insert", List.of(fields), CallOptions.defaults(), Object.class, seed)
			.thenApply((result) -> (result instanceof String serverId) ? serverId : expectedId);
	}

	@Override
	public CompletableFuture<Integer> update(String id, Map<String, ?> modifier) {
		return this.connection
			.invokeAsync("/" + this.name + "/update", List.of(Map.of(LocalCollections.ID, id), modifier),
					CallOptions.defaults(), Integer.class, null)
			.thenApply((count) -> (count != null) ? count : 0);
	}

	@Override
	public CompletableFuture<Integer> remove(String id) {
		return this.connection
			.invokeAsync("/" + this.name + "/remove", List.of(Map.of(LocalCollections.ID, id)), CallOptions.defaults(),
					Integer.class, null)
			.thenApply((count) -> (count != null) ? count : 0);
	}

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> toMap(T document) {
		if (document instanceof Map<?, ?> map) {
			return new LinkedHashMap<>((Map<String, @Nullable Object>) map);
		}
		Object converted = this.ejson.mapper().convertValue(document, Map.class);
		return new LinkedHashMap<>((Map<String, @Nullable Object>) converted);
	}

	private @Nullable T convertOrNull(@Nullable Map<String, @Nullable Object> doc) {
		return (doc != null) ? convert(doc) : null;
	}

	@SuppressWarnings("unchecked")
	private T convert(@Nullable Map<String, @Nullable Object> doc) {
		if (this.type.isInstance(doc)) {
			return (T) doc;
		}
		return this.ejson.mapper().convertValue(doc, this.type);
	}

}
