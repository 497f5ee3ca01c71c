package io.ddp.spring.autoconfigure;

import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Meters of the collections kept in PostgreSQL: {@code ddp.jdbc.document.writes} and
 * {@code ddp.jdbc.document.commits}, the latter tagged {@code group.size} with how many
 * writes each commit carried ({@code 1}, {@code 2-3}, ... {@code 32}); the writes divided
 * by the commits' sum is how many concurrent writes shared a commit on average (see
 * {@link PostgresDocumentStores#setGroupCommit(boolean)});
 * {@code ddp.jdbc.document.flushes} counts the flushes those commits' writers waited for
 * (see {@link PostgresDocumentStores#setNotifyBeforeFlush(boolean)}).
 */
final class DdpJdbcStoreMetrics implements MeterBinder {

	private final ObjectProvider<PostgresDocumentStores> stores;

	DdpJdbcStoreMetrics(ObjectProvider<PostgresDocumentStores> stores) {
		this.stores = stores;
	}

	// Nothing to meter when the collections are not in PostgreSQL
	@Override
	public void bindTo(MeterRegistry registry) {
		this.stores.ifAvailable((stores) -> {
			FunctionCounter.builder("ddp.jdbc.document.writes", stores, PostgresDocumentStores::documentWrites)
				.description("Inserts, updates and removals of documents in the collections' tables")
				.register(registry);
			FunctionCounter.builder("ddp.jdbc.document.flushes", stores, PostgresDocumentStores::documentFlushes)
				.description("Flushes to disk that writers waited for after commits that notified before their flush")
				.register(registry);
			for (String size : PostgresDocumentStores.documentGroupSizes()) {
				FunctionCounter.builder("ddp.jdbc.document.commits", stores, (counted) -> counted.documentCommits(size))
					.description("Transactions that committed those writes, a group of concurrent writes counting once,"
							+ " by how many writes they committed")
					.tag("group.size", size)
					.register(registry);
			}
		});
	}

}
