package io.ddp.spring.collection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.Criteria;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Selector;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every store behind {@link DdpCollection} passes: selectors, modifiers,
 * sorted and limited fetches, live windows and change delivery, and a model-based test of
 * windowed cursors against a plain list. A store's test subclasses it and creates an
 * empty collection of maps; only the collection's public API is used, and what
 * subscribers see is awaited, so stores that deliver changes asynchronously pass too.
 */
public abstract class DdpCollectionContractTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final Ejson ejson = Ejson.createDefault();

	/**
	 * Create an empty collection of maps.
	 * @param name the collection name, unique per test
	 * @param ejson the EJSON mapper to use
	 * @return the collection
	 */
	protected abstract DdpCollection<Map<String, @Nullable Object>> createCollection(String name, Ejson ejson);

	private DdpCollection<Map<String, @Nullable Object>> collection() {
		return createCollection("contract" + Math.abs(new Random().nextInt()), this.ejson);
	}

	@SuppressWarnings("unchecked")
	private Map<String, @Nullable Object> doc(String json) {
		return (Map<String, @Nullable Object>) this.ejson.parse(json);
	}

	private static List<Object> ids(List<Map<String, @Nullable Object>> documents) {
		List<Object> ids = new ArrayList<>();
		documents.forEach((document) -> ids.add(document.get("_id")));
		return ids;
	}

	private static ConditionFactory waiting() {
		return await().atMost(TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5));
	}

	private RecordingPublisher publish(DdpCursor<?> cursor) {
		RecordingPublisher publisher = new RecordingPublisher(cursor.collectionName());
		cursor.publish(publisher);
		return publisher;
	}

	private void fill(DdpCollection<Map<String, @Nullable Object>> collection) {
		collection.insert(doc("{\"_id\":\"a\",\"n\":1,\"tags\":[\"x\",\"y\"],\"owner\":{\"name\":\"ann\"}}"));
		collection.insert(doc("{\"_id\":\"b\",\"n\":5,\"tags\":[\"y\"],\"owner\":{\"name\":\"bob\"}}"));
		collection.insert(doc("{\"_id\":\"c\",\"n\":3,\"done\":true}"));
		collection.insert(doc("{\"_id\":\"d\",\"n\":\"3\",\"tags\":[]}"));
		collection.insert(doc("{\"_id\":\"e\",\"n\":null}"));
	}

	@Test
	void selectorsSelectAsMinimongoDoes() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		fill(collection);
		assertThat(ids(collection.find(Selector.parse(doc("{\"n\":{\"$gte\":3}}"))).sort(Sort.by("_id")).fetch()))
			.containsExactly("b", "c");
		assertThat(ids(collection.find(Selector.parse(doc("{\"tags\":\"y\"}"))).sort(Sort.by("_id")).fetch()))
			.containsExactly("a", "b");
		assertThat(ids(collection.find(Selector.parse(doc("{\"owner.name\":\"bob\"}"))).fetch())).containsExactly("b");
		assertThat(ids(collection.find(Selector.parse(doc("{\"n\":null}"))).sort(Sort.by("_id")).fetch()))
			.containsExactly("e");
		assertThat(ids(
				collection.find(Selector.parse(doc("{\"done\":{\"$exists\":false}}"))).sort(Sort.by("_id")).fetch()))
			.containsExactly("a", "b", "d", "e");
		assertThat(ids(collection.find(Criteria.where("n").in(1, "3").and("_id").ne("a")).fetch()))
			.containsExactly("d");
		assertThat(ids(
				collection.find(new Criteria().orOperator(Criteria.where("n").lt(2), Criteria.where("done").is(true)))
					.sort(Sort.by("n"))
					.fetch()))
			.containsExactly("a", "c");
		assertThat(collection.find(Selector.parse(doc("{\"tags.0\":\"x\"}"))).count()).isOne();
		assertThat(collection.find(Selector.parse("c")).count()).isOne();
	}

	@Test
	void modifiersApplyAndSelectorsSeeTheResult() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		fill(collection);
		collection.update("a",
				doc("{\"$inc\":{\"n\":10},\"$push\":{\"tags\":\"z\"},\"$set\":{\"owner.name\":\"al\"}}"));
		collection.update("c", doc("{\"$unset\":{\"done\":\"\"}}"));
		assertThat(collection.findById("a")).hasValueSatisfying((a) -> assertThat(Ejson.equals(a,
				doc("{\"_id\":\"a\",\"n\":11,\"tags\":[\"x\",\"y\",\"z\"],\"owner\":{\"name\":\"al\"}}")))
			.isTrue());
		assertThat(ids(collection.find(Selector.parse(doc("{\"tags\":\"z\",\"owner.name\":\"al\",\"n\":11}"))).fetch()))
			.containsExactly("a");
		assertThat(collection.find(Criteria.where("done").exists(true)).count()).isZero();
	}

	@Test
	void sortedFetchesSkipAndLimitWithMixedTypesInMinimongosOrder() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		fill(collection);
		collection.insert(doc("{\"_id\":\"f\"}"));
		assertThat(ids(collection.find(DdpQuery.all().sort(Sort.by("n"))).fetch())).containsExactly("e", "f", "a", "c",
				"b", "d");
		assertThat(ids(collection.find(DdpQuery.all().sort(Sort.by("n").descending())).fetch())).containsExactly("d",
				"b", "c", "a", "e", "f");
		DdpCursor<Map<String, @Nullable Object>> window = collection
			.find(DdpQuery.parse(Map.of(), Map.of("sort", Map.of("n", -1), "skip", 1, "limit", 2)));
		assertThat(ids(window.fetch())).containsExactly("b", "c");
		assertThat(window.count()).isEqualTo(2);
		assertThat(ids(collection.find(DdpQuery.all().sort(Sort.by("tags")).limit(3)).fetch())).containsExactly("c",
				"d", "e");
	}

	@Test
	void aLimitedWindowMovesAsDocumentsEnterAndLeaveIt() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		for (int i = 1; i <= 4; i++) {
			collection.insert(doc("{\"_id\":\"t" + i + "\",\"at\":" + i + "}"));
		}
		RecordingPublisher publisher = publish(
				collection.find(DdpQuery.all().sort(Sort.by("at").descending()).limit(3)).include("at"));
		assertThat(publisher.takeCalls()).containsExactlyInAnyOrder("added t4 {at=4}", "added t3 {at=3}",
				"added t2 {at=2}");
		// a newer one pushes the oldest out
		collection.insert(doc("{\"_id\":\"t5\",\"at\":5,\"text\":\"x\"}"));
		waitForCalls(publisher, 2);
		assertThat(publisher.takeCalls()).containsExactlyInAnyOrder("removed t2", "added t5 {at=5}");
		// removing one from the window brings the next back
		collection.remove("t4");
		waitForCalls(publisher, 2);
		assertThat(publisher.takeCalls()).containsExactlyInAnyOrder("removed t4", "added t2 {at=2}");
		// a change inside the window is a change; a move inside it sends nothing
		collection.update("t3", doc("{\"$set\":{\"at\":6}}"));
		waitForCalls(publisher, 1);
		assertThat(publisher.takeCalls()).containsExactly("changed t3 {at=6}");
		// a change to a field the projection drops sends nothing, nor one behind the
		// window
		collection.update("t5", doc("{\"$set\":{\"text\":\"y\"}}"));
		collection.update("t1", doc("{\"$set\":{\"at\":0}}"));
		collection.insert(doc("{\"_id\":\"t0\",\"at\":-1}"));
		// a document behind the window that moves into it
		collection.update("t1", doc("{\"$set\":{\"at\":7}}"));
		waitForCalls(publisher, 2);
		assertThat(publisher.takeCalls()).containsExactlyInAnyOrder("removed t2", "added t1 {at=7}");
		assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("t1", "t3", "t5");
	}

	@Test
	void aSkippedWindowShiftsWhenDocumentsBeforeItComeAndGo() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		for (int i = 1; i <= 5; i++) {
			collection.insert(doc("{\"_id\":\"s" + i + "\",\"n\":" + (i * 10) + "}"));
		}
		RecordingPublisher publisher = publish(collection.find(DdpQuery.all().sort(Sort.by("n")).skip(1).limit(2)));
		assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("s2", "s3");
		publisher.takeCalls();
		collection.insert(doc("{\"_id\":\"s0\",\"n\":0}"));
		waitForCalls(publisher, 2);
		assertThat(publisher.takeCalls()).containsExactlyInAnyOrder("removed s3", "added s1 {n=10}");
		collection.remove("s0");
		collection.remove("s1");
		waiting().untilAsserted(() -> assertThat(publisher.documents.keySet()).containsExactlyInAnyOrder("s3", "s4"));
	}

	@Test
	void liveWindowsOverMixedTypesFollowMinimongosOrder() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		collection.insert(doc("{\"_id\":\"a\",\"v\":1}"));
		collection.insert(doc("{\"_id\":\"b\",\"v\":\"a\"}"));
		collection.insert(doc("{\"_id\":\"c\",\"v\":true}"));
		collection.insert(doc("{\"_id\":\"d\",\"v\":null}"));
		collection.insert(doc("{\"_id\":\"e\"}"));
		collection.insert(doc("{\"_id\":\"f\",\"v\":[2,0]}"));
		collection.insert(doc("{\"_id\":\"g\",\"v\":{\"k\":1}}"));
		collection.insert(doc("{\"_id\":\"h\",\"v\":{\"$date\":5}}"));
		// Ascending d e f(0) a b g c h; descending h c g b f(2) a d e
		RecordingPublisher ascending = publish(collection.find(DdpQuery.all().sort(Sort.by("v")).skip(1).limit(3)));
		RecordingPublisher descending = publish(
				collection.find(DdpQuery.all().sort(Sort.by("v").descending()).limit(3)));
		assertThat(ascending.documents.keySet()).containsExactlyInAnyOrder("e", "f", "a");
		assertThat(descending.documents.keySet()).containsExactlyInAnyOrder("h", "c", "g");
		// A date becomes a number
		collection.update("h", doc("{\"$set\":{\"v\":-5}}"));
		waiting()
			.untilAsserted(() -> assertThat(ascending.documents.keySet()).containsExactlyInAnyOrder("e", "h", "f"));
		waiting()
			.untilAsserted(() -> assertThat(descending.documents.keySet()).containsExactlyInAnyOrder("c", "g", "b"));
		// A string that sorts before "a" but after every number
		collection.insert(doc("{\"_id\":\"i\",\"v\":\"0\"}"));
		collection.remove("c");
		waiting()
			.untilAsserted(() -> assertThat(descending.documents.keySet()).containsExactlyInAnyOrder("g", "b", "i"));
		assertThat(ascending.documents.keySet()).containsExactlyInAnyOrder("e", "h", "f");
		assertThat(ids(collection.find(DdpQuery.all().sort(Sort.by("v"))).fetch())).containsExactly("d", "e", "h", "f",
				"a", "i", "b", "g");
	}

	@Test
	void cursorsOfEqualQueriesEachGetEveryChange() {
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		fill(collection);
		RecordingPublisher first = publish(collection.find(Criteria.where("n").gte(3)));
		RecordingPublisher second = publish(collection.find(Selector.parse(doc("{\"n\":{\"$gte\":3}}"))));
		collection.update("a", doc("{\"$set\":{\"n\":4}}"));
		collection.update("b", doc("{\"$set\":{\"n\":0}}"));
		collection.update("c", doc("{\"$set\":{\"x\":1}}"));
		for (RecordingPublisher publisher : List.of(first, second)) {
			waiting().untilAsserted(() -> assertThat(publisher.calls).containsExactly(
					"added b {n=5, tags=[y], owner={name=bob}}", "added c {n=3, done=true}",
					"added a {n=4, tags=[x, y], owner={name=ann}}", "removed b", "changed c {n=3, done=true, x=1}"));
		}
		assertThat(collection.observerCount()).isEqualTo(2);
	}

	private static void waitForCalls(RecordingPublisher publisher, int count) {
		waiting().until(() -> publisher.calls.size() >= count);
	}

	// ---- model-based

	private static final String[] GROUPS = { "a", "b", "c" };

	/**
	 * Random inserts, updates (of the sort key, the selected field and others), upserts
	 * and removals; after every step, each subscriber of windowed cursors has exactly
	 * what a plain list filtered, sorted and cut in the test gives.
	 */
	@Test
	void windowedSubscribersEndWithWhatAPlainListGives() {
		for (long seed = 0; seed < 12; seed++) {
			runModel(seed, 120);
		}
	}

	private void runModel(long seed, int steps) {
		Random random = new Random(seed);
		DdpCollection<Map<String, @Nullable Object>> collection = collection();
		Map<String, Map<String, @Nullable Object>> reference = new HashMap<>();
		List<ModelCursor> cursors = new ArrayList<>();
		cursors.add(new ModelCursor(collection,
				DdpQuery.where(Criteria.where("g").in("a", "b")).sort(Sort.by("n").descending()).limit(4),
				(d) -> "a".equals(d.get("g")) || "b".equals(d.get("g")), false, 0, 4));
		cursors.add(new ModelCursor(collection, DdpQuery.all().sort(Sort.by("n")).skip(2).limit(3), (d) -> true, true,
				2, 3));
		for (int step = 0; step < steps; step++) {
			String id = "d" + random.nextInt(20);
			int op = random.nextInt(10);
			Map<String, @Nullable Object> current = reference.get(id);
			if (op < 4 && current == null) {
				Map<String, @Nullable Object> document = randomDocument(random);
				document.put("_id", id);
				collection.insert(new LinkedHashMap<>(document));
				reference.put(id, document);
			}
			else if (op < 7 && current != null) {
				Map<String, @Nullable Object> set = new LinkedHashMap<>();
				if (random.nextBoolean()) {
					set.put("n", random.nextInt(8));
				}
				if (random.nextBoolean()) {
					set.put("g", GROUPS[random.nextInt(GROUPS.length)]);
				}
				set.put("v", random.nextInt(3));
				collection.update(id, Map.of("$set", set));
				current.putAll(set);
			}
			else if (op < 8) {
				Map<String, @Nullable Object> document = randomDocument(random);
				document.put("_id", id);
				collection.upsert(new LinkedHashMap<>(document));
				reference.put(id, document);
			}
			else if (current != null) {
				collection.remove(id);
				reference.remove(id);
			}
			if (step == steps / 3) {
				cursors.add(new ModelCursor(collection, cursors.get(0).query, cursors.get(0).filter, false, 0, 4));
			}
			String context = "seed " + seed + ", step " + step;
			for (ModelCursor cursor : cursors) {
				cursor.check(reference.values(), context);
			}
		}
	}

	private static Map<String, @Nullable Object> randomDocument(Random random) {
		Map<String, @Nullable Object> document = new LinkedHashMap<>();
		if (random.nextInt(6) > 0) {
			document.put("n", random.nextInt(8));
		}
		document.put("g", GROUPS[random.nextInt(GROUPS.length)]);
		document.put("v", random.nextInt(3));
		return document;
	}

	/**
	 * A subscriber of a windowed cursor and the reference of what it should show.
	 */
	private final class ModelCursor {

		final DdpQuery query;

		final Predicate<Map<String, @Nullable Object>> filter;

		private final boolean ascending;

		private final int skip;

		private final int limit;

		private final RecordingPublisher publisher;

		ModelCursor(DdpCollection<Map<String, @Nullable Object>> collection, DdpQuery query,
				Predicate<Map<String, @Nullable Object>> filter, boolean ascending, int skip, int limit) {
			this.query = query;
			this.filter = filter;
			this.ascending = ascending;
			this.skip = skip;
			this.limit = limit;
			this.publisher = publish(collection.find(query));
		}

		void check(Iterable<Map<String, @Nullable Object>> documents, String context) {
			// Missing n sorts first; ties by id
			Comparator<Map<String, @Nullable Object>> byN = Comparator
				.comparingInt((Map<String, @Nullable Object> d) -> (d.get("n") != null) ? (Integer) d.get("n") : -1);
			Comparator<Map<String, @Nullable Object>> order = (this.ascending ? byN : byN.reversed())
				.thenComparing((d) -> (String) d.get("_id"));
			List<Map<String, @Nullable Object>> selected = new ArrayList<>();
			documents.forEach((d) -> {
				if (this.filter.test(d)) {
					selected.add(d);
				}
			});
			selected.sort(order);
			List<Map<String, @Nullable Object>> window = selected.subList(Math.min(this.skip, selected.size()),
					Math.min(selected.size(), this.skip + this.limit));
			Map<String, Map<String, @Nullable Object>> expected = new HashMap<>();
			for (Map<String, @Nullable Object> document : window) {
				Map<String, @Nullable Object> fields = new LinkedHashMap<>(document);
				String id = (String) fields.remove("_id");
				expected.put(id, fields);
			}
			waiting().alias(context).untilAsserted(() -> {
				Map<String, Map<String, @Nullable Object>> actual = new HashMap<>();
				this.publisher.documents.forEach((id, snapshot) -> actual.put(id, fieldsOf(snapshot)));
				assertThat(Ejson.equals(actual, expected)).as(context + ": " + actual + " != " + expected).isTrue();
			});
		}

		private Map<String, @Nullable Object> fieldsOf(DocumentSnapshot snapshot) {
			return new LinkedHashMap<>(snapshot.asMap());
		}

	}

}
