package io.ddp.spring.collection;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the versions a {@link DdpCollection} over a shared store remembers having
 * delivered: they must not grow with the number of writes.
 */
class DdpCollectionDeliveredVersionsTests {

	private final DdpCollection<Map<String, @Nullable Object>> items = DdpCollection.ofMaps("items",
			Ejson.createDefault(), new SharedStore());

	@Test
	void removedDocumentsAreForgottenBeyondABound() {
		RecordingPublisher publisher = new RecordingPublisher("items");
		this.items.find().publish(publisher);
		this.items.insert(Map.of("_id", "kept", "n", 0));
		for (int i = 0; i < 5_000; i++) {
			String id = this.items.insert(Map.of("n", i));
			this.items.update(id, Map.of("$set", Map.of("n", -i)));
			this.items.remove(id);
		}
		assertThat(this.items.deliveredVersionCount()).isLessThanOrEqualTo(1 + 1024);
		assertThat(publisher.documents).containsOnlyKeys("kept");
	}

	@Test
	void anIdInsertedAgainAfterItsRemovalWasForgottenIsDelivered() {
		RecordingPublisher publisher = new RecordingPublisher("items");
		this.items.find().publish(publisher);
		this.items.insert(Map.of("_id", "again", "n", 1));
		this.items.remove("again");
		for (int i = 0; i < 2_000; i++) {
			this.items.remove(this.items.insert(Map.of("n", i)));
		}
		this.items.insert(Map.of("_id", "again", "n", 2));
		this.items.update("again", Map.of("$set", Map.of("n", 3)));
		assertThat(publisher.documents).containsOnlyKeys("again");
		assertThat(publisher.documents.get("again").asMap()).containsEntry("n", 3);
	}

	@Test
	void theCollectionKeepsAsManyRecentDocumentsAsItsStoreSays() {
		SharedStore store = new SharedStore();
		store.recentDocuments = 3;
		DdpCollection<Map<String, @Nullable Object>> few = DdpCollection.ofMaps("few", Ejson.createDefault(), store);
		for (int i = 0; i < 10; i++) {
			few.update(few.insert(Map.of("n", i)), Map.of("$inc", Map.of("n", 1)));
		}
		assertThat(few.recentDocumentCount()).isEqualTo(3);
		for (int i = 0; i < 20; i++) {
			this.items.insert(Map.of("n", i));
		}
		assertThat(this.items.recentDocumentCount()).isEqualTo(20);
	}

	/**
	 * An in-memory store that says it is shared, as a database store does.
	 */
	static final class SharedStore implements DocumentStore {

		private final InMemoryDocumentStore delegate = new InMemoryDocumentStore();

		int recentDocuments = DEFAULT_RECENT_DOCUMENTS;

		@Override
		public int recentDocuments() {
			return this.recentDocuments;
		}

		@Override
		public @Nullable DocumentRecord findById(String id) {
			return this.delegate.findById(id);
		}

		@Override
		public List<DocumentRecord> findAllById(Collection<String> ids) {
			return this.delegate.findAllById(ids);
		}

		@Override
		public Iterable<DocumentRecord> findAll() {
			return this.delegate.findAll();
		}

		@Override
		public List<DocumentRecord> query(DdpQuery query) {
			return this.delegate.query(query);
		}

		@Override
		public long count() {
			return this.delegate.count();
		}

		@Override
		public synchronized DocumentRecord insert(String id, DocumentSnapshot fields) {
			return this.delegate.insert(id, fields);
		}

		@Override
		public synchronized @Nullable DocumentRecord replace(DocumentRecord current, DocumentSnapshot fields) {
			return this.delegate.replace(current, fields);
		}

		@Override
		public synchronized @Nullable DocumentRecord remove(String id) {
			return this.delegate.remove(id);
		}

	}

}
