package io.ddp.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The propagation section (Runner section {@code propagation}, README "Propagation"): a
 * collection {@code bench} of documents {@code p0..p<N-1>} ({@code {n}}), kept in
 * PostgreSQL when the server has {@code ddp.jdbc.enabled} and a DataSource, in memory
 * otherwise; the publication {@code bench.all} (every document) and the method
 * {@code bench.touch(id, n)}, which sets field {@code n}. The writer numbers its writes,
 * so a subscriber matches each {@code changed} to the write that caused it.
 * {@code bench.propagation.seed=N} creates the N documents at startup (on one instance
 * only: the others see them in the database).
 */
@Configuration(proxyBeanMethods = false)
public class PropagationBench {

	// Not a DdpCollection bean: FanoutBoard's board is one, and its endpoints take it by
	// type.
	@Bean(destroyMethod = "close")
	BenchEndpoints benchEndpoints(Ejson ejson, ObjectProvider<PostgresDocumentStores> stores, Environment environment) {
		PostgresDocumentStores postgres = stores.getIfAvailable();
		DdpCollection<Map<String, @Nullable Object>> bench = (postgres != null)
				? DdpCollection.ofMaps("bench", ejson, postgres.store("bench")) : DdpCollection.ofMaps("bench", ejson);
		int seed = environment.getProperty("bench.propagation.seed", Integer.class, 0);
		for (int i = 0; i < seed; i++) {
			Map<String, @Nullable Object> doc = new LinkedHashMap<>();
			doc.put("_id", "p" + i);
			doc.put("n", 0L);
			bench.upsert(doc);
		}
		return new BenchEndpoints(bench);
	}

	/** The publication and the method. */
	public static class BenchEndpoints implements AutoCloseable {

		private final DdpCollection<Map<String, @Nullable Object>> bench;

		BenchEndpoints(DdpCollection<Map<String, @Nullable Object>> bench) {
			this.bench = bench;
		}

		/**
		 * Every document of {@code bench}.
		 * @return the cursor, shared by every subscriber
		 */
		@DdpPublication("bench.all")
		public DdpCursor<Map<String, @Nullable Object>> all() {
			return this.bench.find();
		}

		/**
		 * Sets field {@code n} of document {@code id}.
		 * @param id the document
		 * @param n the write's number
		 * @return whether the document existed
		 */
		@DdpMethod("bench.touch")
		public boolean touch(String id, long n) {
			return this.bench.update(id, Map.of("$set", Map.of("n", n)));
		}

		@Override
		public void close() {
			this.bench.close();
		}

	}

}
