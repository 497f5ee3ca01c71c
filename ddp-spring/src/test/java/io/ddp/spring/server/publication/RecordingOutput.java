package io.ddp.spring.server.publication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * A {@link MergeBoxOutput} that records messages as readable lines such as {@code changed
 * c d1 {y=3} cleared [x]}, fields in the order they were given.
 */
class RecordingOutput implements MergeBoxOutput {

	private final List<String> messages = new ArrayList<>();

	private final boolean sorted;

	RecordingOutput() {
		this(false);
	}

	/**
	 * Create an output that writes fields sorted by name, for comparing merge boxes that
	 * may order fields differently.
	 */
	RecordingOutput(boolean sorted) {
		this.sorted = sorted;
	}

	@Override
	public void added(String collection, String id, Map<String, @Nullable Object> fields) {
		this.messages.add("added " + collection + " " + id + " " + render(fields));
	}

	@Override
	public void changed(String collection, String id, Map<String, @Nullable Object> fields, List<String> cleared) {
		if (fields.isEmpty() && cleared.isEmpty()) {
			throw new AssertionError("Empty changed for " + collection + " " + id);
		}
		StringBuilder message = new StringBuilder("changed ").append(collection).append(' ').append(id);
		if (!fields.isEmpty()) {
			message.append(' ').append(render(fields));
		}
		if (!cleared.isEmpty()) {
			List<String> names = new ArrayList<>(cleared);
			if (this.sorted) {
				names.sort(null);
			}
			message.append(" cleared ").append(names);
		}
		this.messages.add(message.toString());
	}

	@Override
	public void removed(String collection, String id) {
		this.messages.add("removed " + collection + " " + id);
	}

	private String render(Map<String, @Nullable Object> fields) {
		if (fields.containsValue(MergeBox.UNDEFINED)) {
			throw new AssertionError("UNDEFINED sent as a value in " + fields);
		}
		return (this.sorted ? new TreeMap<>(fields) : fields).toString();
	}

	/**
	 * Return the messages recorded since the last call, and forget them.
	 */
	List<String> take() {
		List<String> taken = new ArrayList<>(this.messages);
		this.messages.clear();
		return taken;
	}

}
