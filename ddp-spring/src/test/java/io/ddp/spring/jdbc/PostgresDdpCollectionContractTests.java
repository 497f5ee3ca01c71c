package io.ddp.spring.jdbc;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCollectionContractTests;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The PostgreSQL store against the collection contract: a new table per collection.
 */
class PostgresDdpCollectionContractTests extends DdpCollectionContractTests {

	private static final AtomicInteger tables = new AtomicInteger();

	private static PostgresDocumentStores stores;

	@BeforeAll
	static void database() {
		stores = new PostgresDocumentStores(PostgresServer.shared().createDatabase("contract"), Ejson.createDefault());
	}

	@AfterAll
	static void close() {
		stores.close();
	}

	@Override
	protected DdpCollection<Map<String, @Nullable Object>> createCollection(String name, Ejson ejson) {
		String table = PostgresDocumentStores.tableName(name + "_" + tables.incrementAndGet());
		return DdpCollection.ofMaps(name, ejson, stores.storeInTable(table));
	}

}
