package io.ddp.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DdpCursor;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.publication.DdpPublication;
import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The fan-out scenario (Runner section {@code fanout}, README "Fan-out"): a small
 * reactive collection {@code board} (documents {@code d0..d4}), a publication
 * {@code board.all} whose cursor every subscriber shares (one live query), and
 * {@code board.bump(id, v)}, which sets field {@code v} of one document. The caller
 * passes its send time (wall clock, µs) as {@code v}, so each receiver reads the delivery
 * latency straight off the {@code changed} frame. The Meteor equivalent is
 * {@code benchmarks/meteor/fanout-app.js}.
 */
@Configuration(proxyBeanMethods = false)
public class FanoutBoard {

	@Bean
	DdpCollection<Map<String, @Nullable Object>> board(Ejson ejson) {
		DdpCollection<Map<String, @Nullable Object>> board = DdpCollection.ofMaps("board", ejson);
		for (int i = 0; i < 5; i++) {
			Map<String, @Nullable Object> doc = new LinkedHashMap<>();
			doc.put("_id", "d" + i);
			doc.put("label", "card " + i);
			doc.put("v", 0L);
			board.insert(doc);
		}
		return board;
	}

	@Bean
	BoardEndpoints boardEndpoints(DdpCollection<Map<String, @Nullable Object>> board) {
		return new BoardEndpoints(board);
	}

	/** The publication and the method. */
	public static class BoardEndpoints {

		private final DdpCollection<Map<String, @Nullable Object>> board;

		BoardEndpoints(DdpCollection<Map<String, @Nullable Object>> board) {
			this.board = board;
		}

		/**
		 * Every document; every subscriber gets an equal cursor (key "all"), so they
		 * share one live query.
		 */
		@DdpPublication("board.all")
		public DdpCursor<Map<String, @Nullable Object>> all() {
			return this.board.find("all", (doc) -> true);
		}

		/** Sets field {@code v} of document {@code id}; returns whether it existed. */
		@DdpMethod("board.bump")
		public boolean bump(String id, long v) {
			return this.board.update(id, Map.of("$set", Map.of("v", v)));
		}

	}

}
