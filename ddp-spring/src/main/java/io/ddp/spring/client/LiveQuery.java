package io.ddp.spring.client;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * One observed query of a local collection: run again after each batch of changes of its
 * collection, and reported when its result differs (EJSON equality, order included) from
 * the last one reported.
 *
 * <p>
 * Threads: {@link #refresh()} runs on the connection's callback thread only, so the last
 * result needs no lock.
 *
 * @since 0.2.0
 */
final class LiveQuery {

	private final Supplier<List<Map<String, @Nullable Object>>> query;

	private final Consumer<List<Map<String, @Nullable Object>>> listener;

	private @Nullable List<Map<String, @Nullable Object>> last;

	LiveQuery(Supplier<List<Map<String, @Nullable Object>>> query,
			Consumer<List<Map<String, @Nullable Object>>> listener) {
		this.query = query;
		this.listener = listener;
	}

	void refresh() {
		List<Map<String, @Nullable Object>> result = this.query.get();
		List<Map<String, @Nullable Object>> last = this.last;
		if (last != null && Ejson.equals(last, result)) {
			return;
		}
		this.last = result;
		this.listener.accept(result);
	}

}
