package io.ddp.spring.server.websocket;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what a SockJS client sends on its WebSocket as sockjs-node does: a JSON array of
 * strings, or a single JSON string, each string one message.
 */
final class SockJsFraming {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private SockJsFraming() {
	}

	/**
	 * Return the messages of a frame.
	 * @param payload the frame's text, not empty
	 * @return the messages, or {@code null} for broken framing (not JSON, or an element
	 * that is no string)
	 */
	static @Nullable List<String> decode(String payload) {
		JsonNode frame;
		try {
			frame = JSON.readTree(payload);
		}
		catch (RuntimeException ex) {
			return null;
		}
		if (frame == null) {
			return null;
		}
		if (frame.isString()) {
			return List.of(frame.asString());
		}
		if (!frame.isArray()) {
			return null;
		}
		List<String> messages = new ArrayList<>(frame.size());
		for (JsonNode element : frame) {
			if (!element.isString()) {
				return null;
			}
			messages.add(element.asString());
		}
		return messages;
	}

}
