package io.ddp.spring.collection;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for live windows over a store that counts its queries: a change that does not
 * touch the window costs no query, and the buffer behind the window is used before the
 * store is asked again.
 */
class WindowTests {

	record Item(String id, int n, String group) {
	}

	private final Map<String, Item> store = new ConcurrentHashMap<>();

	private final AtomicInteger queries = new AtomicInteger();

	private final ChangeFeed<Item> items = new ChangeFeed<>("items", Item.class, Ejson.createDefault(), () -> {
		this.queries.incrementAndGet();
		return this.store.values();
	});

	private void put(Item item) {
		this.store.put(item.id(), item);
		this.items.changed(item);
	}

	private void remove(String id) {
		this.store.remove(id);
		this.items.removed(id);
	}

	@Test
	void changesThatDoNotTouchTheWindowCostNoQuery() {
		for (int i = 0; i < 100; i++) {
			this.store.put("i" + i, new Item("i" + i, i, (i % 2 == 0) ? "even" : "odd"));
		}
		RecordingPublisher publisher = new RecordingPublisher("items");
		this.items.find(DdpQuery.where(Criteria.where("group").is("even")).sort(Sort.by("n").descending()).limit(5))
			.publish(publisher);
		assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("i98", "i96", "i94", "i92", "i90");
		assertThat(this.queries).hasValue(1);
		publisher.takeCalls();
		// behind the window, not matching, or leaving the store from behind the window
		put(new Item("i2", 3, "even"));
		put(new Item("i3", 99, "odd"));
		put(new Item("new", -5, "even"));
		remove("i4");
		// in the buffer: moves within it
		put(new Item("i88", 87, "even"));
		assertThat(publisher.takeCalls()).isEmpty();
		assertThat(this.queries).hasValue(1);
		// five leave the window: the buffer refills it
		for (String id : new String[] { "i98", "i96", "i94", "i92", "i90" }) {
			remove(id);
		}
		assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("i88", "i86", "i84", "i82", "i80");
		assertThat(this.queries).hasValue(1);
		// the buffer is used up: the next one that leaves makes the store fill it again
		remove("i88");
		assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("i86", "i84", "i82", "i80", "i78");
		assertThat(this.queries).hasValue(2);
	}

	@Test
	void equalQueriesShareOneLiveQuery() {
		this.store.put("a", new Item("a", 1, "even"));
		DdpQuery query = DdpQuery.where(Criteria.where("group").is("even")).sort(Sort.by("n")).limit(3);
		this.items.find(query).publish(new RecordingPublisher("items"));
		this.items.find(DdpQuery.parse(Map.of("group", "even"), Map.of("sort", Map.of("n", 1), "limit", 3)))
			.publish(new RecordingPublisher("items"));
		assertThat(this.items.multiplexerCount()).isOne();
		assertThat(this.queries).hasValue(1);
		this.items.find(query.limit(4)).publish(new RecordingPublisher("items"));
		assertThat(this.items.multiplexerCount()).isEqualTo(2);
	}

}
