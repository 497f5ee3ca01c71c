package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link DocumentStore}: documents in a map of this JVM, lost when it stops
 * and seen by no other instance. Reads never block.
 *
 * @since 0.1.0
 */
public final class InMemoryDocumentStore implements DocumentStore {

	private final Map<String, DocumentRecord> documents = new ConcurrentHashMap<>();

	private final AtomicLong versions = new AtomicLong();

	@Override
	public @Nullable DocumentRecord findById(String id) {
		return this.documents.get(id);
	}

	@Override
	public List<DocumentRecord> findAllById(Collection<String> ids) {
		List<DocumentRecord> found = new ArrayList<>(ids.size());
		for (String id : ids) {
			DocumentRecord record = this.documents.get(id);
			if (record != null) {
				found.add(record);
			}
		}
		return found;
	}

	@Override
	public Iterable<DocumentRecord> findAll() {
		return this.documents.values();
	}

	@Override
	public long count() {
		return this.documents.size();
	}

	@Override
	public DocumentRecord insert(String id, DocumentSnapshot fields) {
		DocumentRecord record = new DocumentRecord(id, this.versions.incrementAndGet(), fields);
		if (this.documents.putIfAbsent(id, record) != null) {
			throw new DuplicateDocumentException("", id);
		}
		return record;
	}

	@Override
	public @Nullable DocumentRecord replace(DocumentRecord current, DocumentSnapshot fields) {
		DocumentRecord next = new DocumentRecord(current.id(), this.versions.incrementAndGet(), fields);
		return this.documents.replace(current.id(), current, next) ? next : null;
	}

	@Override
	public @Nullable DocumentRecord remove(String id) {
		return this.documents.remove(id);
	}

	@Override
	public boolean isLocal() {
		return true;
	}

}
