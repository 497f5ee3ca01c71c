package io.ddp.spring.collection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DdpCollection}: documents and ids, CRUD and listeners.
 */
class DdpCollectionTests {

	private static final Ejson EJSON = Ejson.createDefault();

	private final DdpCollection<Task> tasks = new DdpCollection<>("tasks", Task.class, EJSON);

	record Task(String id, String text, boolean done) {
	}

	record Note(@JsonProperty("_id") String key, String body, Instant at) {
	}

	record NoId(String text) {
	}

	@Test
	void insertWithoutIdGeneratesAMeteorIdAndStoresTheDocumentUnderIt() {
		String id = this.tasks.insert(new Task(null, "write tests", false));
		assertThat(id).hasSize(17).matches("[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]+");
		assertThat(this.tasks.findById(id)).contains(new Task(id, "write tests", false));
		assertThat(this.tasks.count()).isEqualTo(1);
	}

	@Test
	void insertKeepsTheGivenIdAndRefusesADuplicate() {
		assertThat(this.tasks.insert(new Task("t1", "a", false))).isEqualTo("t1");
		assertThatExceptionOfType(DuplicateDocumentException.class)
			.isThrownBy(() -> this.tasks.insert(new Task("t1", "b", false)))
			.withMessage("Duplicate _id 't1' in collection 'tasks'");
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "a", false));
	}

	@Test
	void aPropertyWrittenAsUnderscoreIdHoldsTheIdAndValuesAreEjson() {
		DdpCollection<Note> notes = new DdpCollection<>("notes", Note.class, EJSON);
		Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
		notes.insert(new Note("n1", "hello", at));
		assertThat(notes.findById("n1")).contains(new Note("n1", "hello", at));
		RecordingPublisher publisher = new RecordingPublisher("notes");
		notes.find().publish(publisher);
		assertThat(publisher.documents.get("n1").asMap()).containsExactly(Map.entry("body", "hello"),
				Map.entry("at", at));
	}

	@Test
	void mapDocumentsKeepTheirIdUnderUnderscoreId() {
		DdpCollection<Map<String, Object>> maps = DdpCollection.ofMaps("maps", EJSON);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("name", "x");
		String id = maps.insert(document);
		assertThat(maps.findById(id).orElseThrow()).containsEntry("_id", id).containsEntry("name", "x");
		assertThat(document).doesNotContainKey("_id");
	}

	@Test
	void aTypeWithoutIdPropertyIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DdpCollection<>("x", NoId.class, EJSON))
			.withMessageContaining("has no property serialized as '_id' or 'id'");
	}

	@Test
	void aNonStringIdIsRefused() {
		DdpCollection<Map<String, Object>> maps = DdpCollection.ofMaps("maps", EJSON);
		assertThatIllegalArgumentException().isThrownBy(() -> maps.insert(Map.of("_id", 5)))
			.withMessageContaining("must be strings");
	}

	@Test
	void updateWithAFunctionReplacesTheDocumentButNotItsId() {
		this.tasks.insert(new Task("t1", "a", false));
		assertThat(this.tasks.update("t1", (task) -> new Task(task.id(), "b", true))).isTrue();
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "b", true));
		assertThat(this.tasks.update("t1", (task) -> new Task(null, "c", true))).isTrue();
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "c", true));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.update("t1", (task) -> new Task("t2", "c", true)));
		assertThat(this.tasks.update("missing", (task) -> task)).isFalse();
	}

	@Test
	void updateWithAModifierChangesFields() {
		this.tasks.insert(new Task("t1", "a", false));
		assertThat(this.tasks.update("t1", Map.of("$set", Map.of("done", true)))).isTrue();
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "a", true));
		assertThat(this.tasks.update("missing", Map.of("$set", Map.of("done", true)))).isFalse();
	}

	@Test
	void aModifierWhoseResultDoesNotFitTheTypeIsRefused() {
		this.tasks.insert(new Task("t1", "a", false));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.tasks.update("t1", Map.of("$set", Map.of("done", List.of(1)))));
		assertThat(this.tasks.findById("t1")).contains(new Task("t1", "a", false));
	}

	@Test
	void upsertInsertsOrReplaces() {
		assertThat(this.tasks.upsert(new Task("u1", "a", false))).isEqualTo("u1");
		assertThat(this.tasks.upsert(new Task("u1", "b", false))).isEqualTo("u1");
		assertThat(this.tasks.findById("u1")).contains(new Task("u1", "b", false));
		String generated = this.tasks.upsert(new Task(null, "c", false));
		assertThat(this.tasks.findById(generated)).contains(new Task(generated, "c", false));
		assertThat(this.tasks.count()).isEqualTo(2);
	}

	@Test
	void removeReportsWhetherTheDocumentExisted() {
		this.tasks.insert(new Task("t1", "a", false));
		assertThat(this.tasks.remove("t1")).isTrue();
		assertThat(this.tasks.remove("t1")).isFalse();
		assertThat(this.tasks.findById("t1")).isEmpty();
		assertThat(this.tasks.count()).isZero();
	}

	@Test
	void findFetchesAndCountsMatchingDocuments() {
		this.tasks.insert(new Task("t1", "a", false));
		this.tasks.insert(new Task("t2", "b", true));
		this.tasks.insert(new Task("t3", "c", false));
		assertThat(this.tasks.find((task) -> !task.done()).fetch()).extracting(Task::id)
			.containsExactlyInAnyOrder("t1", "t3");
		assertThat(this.tasks.find((task) -> task.done()).count()).isEqualTo(1);
		assertThat(this.tasks.find().count()).isEqualTo(3);
	}

	@Test
	void listenersSeeEveryChangeWithThePreviousVersionUntilRemoved() {
		List<String> events = new ArrayList<>();
		Runnable removal = this.tasks.addListener(new DdpCollectionListener<>() {

			@Override
			public void inserted(String id, Task document) {
				events.add("inserted " + document);
			}

			@Override
			public void changed(String id, Task document, Task previous) {
				events.add("changed " + previous.text() + " -> " + document.text());
			}

			@Override
			public void removed(String id, Task previous) {
				events.add("removed " + previous.text());
			}

		});
		this.tasks.insert(new Task("t1", "a", false));
		this.tasks.update("t1", Map.of("$set", Map.of("text", "b")));
		// Nothing changes: no event
		this.tasks.update("t1", Map.of("$set", Map.of("text", "b")));
		this.tasks.remove("t1");
		removal.run();
		this.tasks.insert(new Task("t2", "c", false));
		assertThat(events).containsExactly("inserted Task[id=t1, text=a, done=false]", "changed a -> b", "removed b");
	}

	@Test
	void aFailingListenerDoesNotStopTheWriteOrOtherListeners() {
		List<String> seen = new ArrayList<>();
		this.tasks.addListener(new DdpCollectionListener<>() {

			@Override
			public void inserted(String id, Task document) {
				throw new IllegalStateException("listener failure (expected by the test)");
			}

		});
		this.tasks.addListener(new DdpCollectionListener<>() {

			@Override
			public void inserted(String id, Task document) {
				seen.add(id);
			}

		});
		this.tasks.insert(new Task("t1", "a", false));
		assertThat(seen).containsExactly("t1");
		assertThat(this.tasks.findById("t1")).isPresent();
	}

}
