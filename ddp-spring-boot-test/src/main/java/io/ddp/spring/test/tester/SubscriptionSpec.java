package io.ddp.spring.test.tester;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One subscription and the frames its connection received since it was sent: assertions
 * on {@code ready} and {@code nosub}, on the {@code added}, {@code changed} and
 * {@code removed} frames, and on the documents they add up to. Assertions look at the
 * frames received so far; {@link #isReady()}, {@link #nosub()} and
 * {@link #awaitAsserted(Consumer)} wait for more.
 *
 * <p>
 * Close it to unsubscribe; a subscription of {@link DdpTester#subscribe} also closes its
 * connection.
 *
 * @since 0.1.0
 */
public final class SubscriptionSpec implements AutoCloseable {

	private final TesterConnection connection;

	private final String publication;

	private final String id;

	private final int from;

	private final boolean ownsConnection;

	SubscriptionSpec(TesterConnection connection, String publication, String id, int from, boolean ownsConnection) {
		this.connection = connection;
		this.publication = publication;
		this.id = id;
		this.from = from;
		this.ownsConnection = ownsConnection;
	}

	/**
	 * Return the subscription id sent in {@code sub}.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Wait for the {@code ready} of this subscription.
	 * @return this spec
	 * @throws AssertionError when a {@code nosub} came instead, or nothing in time
	 */
	public SubscriptionSpec isReady() {
		JsonNode frame = await("'ready'", (candidate) -> Frames.lists(candidate, "ready", "subs", this.id)
				|| Frames.is(candidate, "nosub", this.id));
		if (!"ready".equals(Frames.msg(frame))) {
			throw new AssertionError(
					"Expected publication '" + this.publication + "' to be ready but it ended: " + frame);
		}
		return this;
	}

	/**
	 * Wait for the {@code nosub} of this subscription: the publication failed or stopped.
	 * @return the {@code nosub}, to assert on
	 */
	public NosubSpec nosub() {
		JsonNode frame = await("'nosub'", (candidate) -> Frames.is(candidate, "nosub", this.id));
		return new NosubSpec(this.publication, frame, this.connection.ejson());
	}

	/**
	 * Return the {@code added} frames (and {@code addedBefore}) of a collection received
	 * so far.
	 * @param collection the collection name
	 * @return the frames, to assert on
	 */
	public FramesSpec added(String collection) {
		return frames(collection, "added", "addedBefore");
	}

	/**
	 * Return the {@code changed} frames of a collection received so far.
	 * @param collection the collection name
	 * @return the frames, to assert on
	 */
	public FramesSpec changed(String collection) {
		return frames(collection, "changed");
	}

	/**
	 * Return the {@code removed} frames of a collection received so far.
	 * @param collection the collection name
	 * @return the frames, to assert on
	 */
	public FramesSpec removed(String collection) {
		return frames(collection, "removed");
	}

	/**
	 * Return the documents of a collection as the frames received so far add them up:
	 * {@code added}, then {@code changed} fields (and {@code cleared} ones), less the
	 * {@code removed}.
	 * @param collection the collection name
	 * @return the documents, to assert on
	 */
	public CollectionSpec collection(String collection) {
		Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
		for (JsonNode frame : frames()) {
			String msg = Frames.msg(frame);
			if (msg == null || !collection.equals(text(frame, "collection"))) {
				continue;
			}
			String docId = text(frame, "id");
			switch (msg) {
				case "added", "addedBefore" -> documents.put(docId, fields(frame));
				case "changed" -> {
					Map<String, Object> document = documents.computeIfAbsent(docId, (key) -> new LinkedHashMap<>());
					document.putAll(fields(frame));
					JsonNode cleared = frame.get("cleared");
					if (cleared != null) {
						cleared.forEach((field) -> document.remove(field.asString()));
					}
				}
				case "removed" -> documents.remove(docId);
				default -> {
				}
			}
		}
		return new CollectionSpec(collection, documents, this.connection.ejson());
	}

	/**
	 * Return every frame the connection received since this subscription was sent
	 * (heartbeats left out).
	 * @return the frames
	 */
	public List<JsonNode> frames() {
		return this.connection.log().since(this.from);
	}

	/**
	 * Run assertions until they pass, again after each new frame, e.g. to see a write of
	 * another connection arrive:
	 * {@code todos.awaitAsserted((s) -> s.collection("todos").hasSize(4))}.
	 * @param assertions the assertions on this spec
	 * @return this spec
	 * @throws AssertionError the last failure when they still fail after the timeout
	 */
	public SubscriptionSpec awaitAsserted(Consumer<SubscriptionSpec> assertions) {
		this.connection.log().awaitAsserted(() -> assertions.accept(this), this.connection.timeout());
		return this;
	}

	/**
	 * Unsubscribe and wait for the server's {@code nosub}.
	 * @return the {@code nosub}, to assert on
	 */
	public NosubSpec stop() {
		this.connection.send(Frames.unsub(this.id));
		return nosub();
	}

	/**
	 * Unsubscribe, without waiting; a subscription of {@link DdpTester#subscribe} closes
	 * its connection instead.
	 */
	@Override
	public void close() {
		if (this.ownsConnection) {
			this.connection.close();
		}
		else if (!this.connection.log().isClosed()) {
			this.connection.send(Frames.unsub(this.id));
		}
	}

	private JsonNode await(String what, java.util.function.Predicate<JsonNode> matcher) {
		return this.connection.log()
			.await(this.from, matcher, this.connection.timeout(),
					() -> what + " of subscription " + this.id + " to '" + this.publication + "'");
	}

	private FramesSpec frames(String collection, String... messages) {
		List<JsonNode> matching = new ArrayList<>();
		for (JsonNode frame : frames()) {
			if (List.of(messages).contains(Frames.msg(frame)) && collection.equals(text(frame, "collection"))) {
				matching.add(frame);
			}
		}
		return new FramesSpec(messages[0] + " '" + collection + "'", matching, this.connection.ejson());
	}

	private Map<String, Object> fields(JsonNode frame) {
		JsonNode fields = frame.get("fields");
		Map<String, Object> values = new LinkedHashMap<>();
		if (fields instanceof ObjectNode object) {
			object.properties().forEach((entry) -> values.put(entry.getKey(), entry.getValue()));
		}
		return values;
	}

	static String text(JsonNode frame, String member) {
		JsonNode value = frame.get(member);
		return (value != null) ? value.asString() : "";
	}

	@Override
	public String toString() {
		return "subscription " + this.id + " to '" + this.publication + "': " + frames();
	}

}
