package io.ddp.spring.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.query.DdpQuery;

/**
 * The in-memory {@link DocumentSource}: every query scans the documents, then sorts the
 * matching ones. Fine for the collections memory holds; a database store answers from an
 * index instead.
 */
final class ScanningDocumentSource<T> implements DocumentSource<T> {

	private final Supplier<? extends Iterable<StoredDocument<T>>> documents;

	ScanningDocumentSource(Supplier<? extends Iterable<StoredDocument<T>>> documents) {
		this.documents = documents;
	}

	@Override
	public List<StoredDocument<T>> query(DdpQuery query) {
		List<IdentifiedFields<T>> all = new ArrayList<>();
		for (StoredDocument<T> document : this.documents.get()) {
			all.add(new IdentifiedFields<>(document));
		}
		List<StoredDocument<T>> result = new ArrayList<>();
		for (IdentifiedFields<T> fields : query.select(all)) {
			result.add(fields.document());
		}
		return result;
	}

	@Override
	public long count(DdpQuery query) {
		if (query.isWindowed()) {
			return query(query).size();
		}
		long count = 0;
		for (StoredDocument<T> document : this.documents.get()) {
			if (query.selector().matches(new IdentifiedFields<>(document))) {
				count++;
			}
		}
		return count;
	}

}
