package io.ddp.spring.client;

import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.ObjectId;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LocalCollections}: applying data messages, id unescaping (section 4.6)
 * and replacing everything after a reconnect with the difference as events.
 */
class LocalCollectionsTests {

	private final Ejson ejson = Ejson.createDefault();

	private final ClientFrames frames = new ClientFrames(this.ejson);

	private final LocalCollections store = new LocalCollections(this.ejson);

	private IncomingMessage msg(String json) {
		return this.frames.parse(json, (id) -> null);
	}

	private List<DocumentChange> apply(boolean reset, String... json) {
		return this.store.apply(java.util.Arrays.stream(json).map(this::msg).toList(), reset);
	}

	@Test
	void addedChangedRemoved() {
		List<DocumentChange> changes = apply(false,
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"a\",\"fields\":{\"x\":1,\"when\":{\"$date\":5}}}",
				"{\"msg\":\"changed\",\"collection\":\"c\",\"id\":\"a\",\"fields\":{\"y\":2},\"cleared\":[\"x\"]}");
		assertThat(changes).extracting(DocumentChange::kind)
			.containsExactly(DocumentChange.Kind.ADDED, DocumentChange.Kind.CHANGED);
		assertThat(changes.get(1).cleared()).containsExactly("x");
		assertThat(this.store.get("c", "a"))
			.isEqualTo(Map.of("_id", "a", "when", java.time.Instant.ofEpochMilli(5), "y", 2));
		assertThat(apply(false, "{\"msg\":\"removed\",\"collection\":\"c\",\"id\":\"a\"}")).hasSize(1);
		assertThat(this.store.size("c")).isZero();
	}

	@Test
	void idsAreUnescaped() {
		apply(false, "{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"-~weird\"}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"507f1f77bcf86cd799439011\"}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"--507f1f77bcf86cd799439011\"}");
		assertThat(this.store.get("c", "~weird")).containsEntry("_id", "~weird");
		assertThat(this.store.get("c", "507f1f77bcf86cd799439011")).containsEntry("_id",
				new ObjectId("507f1f77bcf86cd799439011"));
		assertThat(this.store.get("c", "-507f1f77bcf86cd799439011")).containsEntry("_id", "-507f1f77bcf86cd799439011");
	}

	@Test
	void anomaliesOfServersWithoutAMergeBoxAreTolerated() {
		List<DocumentChange> changes = apply(false,
				"{\"msg\":\"changed\",\"collection\":\"c\",\"id\":\"a\",\"fields\":{\"x\":1}}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"a\",\"fields\":{\"y\":2}}",
				"{\"msg\":\"removed\",\"collection\":\"c\",\"id\":\"zzz\"}");
		assertThat(changes).extracting(DocumentChange::kind)
			.containsExactly(DocumentChange.Kind.ADDED, DocumentChange.Kind.CHANGED);
		assertThat(this.store.get("c", "a")).isEqualTo(Map.of("_id", "a", "y", 2));
	}

	@Test
	void aResetReplacesEverythingAndReportsOnlyTheDifference() {
		apply(false, "{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"same\",\"fields\":{\"x\":1}}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"gone\",\"fields\":{\"x\":1}}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"edited\",\"fields\":{\"x\":1,\"y\":1}}");
		List<DocumentChange> changes = apply(true,
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"same\",\"fields\":{\"x\":1}}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"edited\",\"fields\":{\"x\":2}}",
				"{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"new\",\"fields\":{\"x\":3}}");
		assertThat(changes).extracting((c) -> c.kind() + " " + c.id())
			.containsExactlyInAnyOrder("REMOVED gone", "CHANGED edited", "ADDED new");
		DocumentChange edited = changes.stream().filter((c) -> c.id().equals("edited")).findFirst().get();
		assertThat(edited.fields()).isEqualTo(Map.of("x", 2));
		assertThat(edited.cleared()).containsExactly("y");
		assertThat(this.store.snapshot("c")).hasSize(3);
	}

	@Test
	void aResetWithNothingBufferedEmptiesTheCollections() {
		apply(false, "{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"a\"}");
		assertThat(this.store.apply(List.of(), true)).hasSize(1);
		assertThat(this.store.size("c")).isZero();
	}

	@Test
	void framesParseOnce() {
		JsonNode fields = msg("{\"msg\":\"added\",\"collection\":\"c\",\"id\":\"a\",\"fields\":{\"x\":1}}").fields;
		assertThat(fields.get("x").asInt()).isEqualTo(1);
	}

}
