package io.ddp.spring.test.tester;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.ddp.spring.protocol.Ejson;
import tools.jackson.databind.JsonNode;

/**
 * The {@code added}, {@code changed} or {@code removed} frames of one collection, in the
 * order they arrived.
 *
 * @since 0.1.0
 */
public final class FramesSpec {

	private final String description;

	private final List<JsonNode> frames;

	private final Ejson ejson;

	FramesSpec(String description, List<JsonNode> frames, Ejson ejson) {
		this.description = description;
		this.frames = List.copyOf(frames);
		this.ejson = ejson;
	}

	/**
	 * Assert the number of frames.
	 * @param size the expected number
	 * @return this spec
	 */
	public FramesSpec hasSize(int size) {
		if (this.frames.size() != size) {
			throw new AssertionError("Expected " + size + " " + this.description + " frame(s) but got "
					+ this.frames.size() + ": " + this.frames);
		}
		return this;
	}

	/**
	 * Assert that there is no frame.
	 * @return this spec
	 */
	public FramesSpec isEmpty() {
		return hasSize(0);
	}

	/**
	 * Assert that frames for these document ids arrived, among others.
	 * @param ids the document ids as sent (strings)
	 * @return this spec
	 */
	public FramesSpec containsIds(String... ids) {
		List<String> missing = new ArrayList<>(Arrays.asList(ids));
		missing.removeAll(ids());
		if (!missing.isEmpty()) {
			throw new AssertionError(
					"Expected " + this.description + " frames for " + missing + " but got " + this.frames);
		}
		return this;
	}

	/**
	 * Assert that one frame of the document carries these fields (compared as EJSON).
	 * @param id the document id
	 * @param fields the expected fields, a map or an object converted to EJSON
	 * @return this spec
	 */
	public FramesSpec hasFields(String id, Object fields) {
		JsonNode expected = this.ejson.toJson(fields);
		for (JsonNode frame : this.frames) {
			if (id.equals(SubscriptionSpec.text(frame, "id"))) {
				JsonNode actual = frame.get("fields");
				if (actual != null && Ejson.equals(actual, expected)) {
					return this;
				}
			}
		}
		throw new AssertionError("Expected a " + this.description + " frame of '" + id + "' with fields " + expected
				+ " but got " + this.frames);
	}

	/**
	 * Return the document ids of the frames, in order.
	 * @return the ids
	 */
	public List<String> ids() {
		return this.frames.stream().map((frame) -> SubscriptionSpec.text(frame, "id")).toList();
	}

	/**
	 * Return the frames as the server sent them.
	 * @return the frames
	 */
	public List<JsonNode> frames() {
		return this.frames;
	}

	@Override
	public String toString() {
		return this.description + ": " + this.frames;
	}

}
