package io.ddp.spring.collection;

import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory {@link DdpCollection} against the store contract.
 */
class InMemoryDdpCollectionContractTests extends DdpCollectionContractTests {

	@Override
	protected DdpCollection<Map<String, @Nullable Object>> createCollection(String name, Ejson ejson) {
		return DdpCollection.ofMaps(name, ejson);
	}

}
