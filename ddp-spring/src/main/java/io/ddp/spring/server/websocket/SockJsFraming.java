package io.ddp.spring.server.websocket;

import java.util.ArrayList;
import java.util.List;

import io.ddp.spring.protocol.JsonMappers;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what a SockJS client sends as sockjs-node (Meteor 1.9.3's) does, on the WebSocket
 * and in {@code xhr_send} alike: a JSON array whose elements are the messages, or, on the
 * WebSocket, any other JSON value as one message.
 *
 * <p>
 * sockjs-node checks no element's type: it hands each one to Meteor, which reads it with
 * {@code JSON.parse}, so as JavaScript's {@code String(value)}. An element that is no
 * string becomes that text here too ({@code 1} is {@code "1"}, an object
 * {@code "[object Object]"}), which the DDP session answers with "Bad request", as Meteor
 * does; the session goes on. Only text that is not JSON is broken framing.
 */
final class SockJsFraming {

	private static final JsonMapper JSON = JsonMappers.plain();

	private SockJsFraming() {
	}

	/**
	 * Return the messages of a WebSocket frame.
	 * @param payload the frame's text, not empty
	 * @return the messages, or {@code null} for broken framing (not JSON)
	 */
	static @Nullable List<String> decodeFrame(String payload) {
		JsonNode frame = parse(payload);
		if (frame == null) {
			return null;
		}
		// sockjs-node looks at the first character, not at the parsed value.
		if (payload.charAt(0) == '[' && frame.isArray()) {
			return messages(frame);
		}
		return List.of(jsString(frame));
	}

	/**
	 * Parse a frame or an {@code xhr_send} body.
	 * @param text the text
	 * @return the JSON value, or {@code null} if the text is not JSON
	 */
	static @Nullable JsonNode parse(String text) {
		try {
			JsonNode value = JSON.readTree(text);
			return (value == null || value.isMissingNode()) ? null : value;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Return the messages of a JSON array, one per element.
	 * @param array the array
	 * @return the messages
	 */
	static List<String> messages(JsonNode array) {
		List<String> messages = new ArrayList<>(array.size());
		for (JsonNode element : array) {
			messages.add(jsString(element));
		}
		return messages;
	}

	// JavaScript's String(value) of a parsed JSON value (numbers in their JSON form).
	private static String jsString(JsonNode value) {
		if (value.isString()) {
			return value.asString();
		}
		if (value.isObject()) {
			return "[object Object]";
		}
		if (value.isArray()) {
			StringBuilder joined = new StringBuilder();
			for (int i = 0; i < value.size(); i++) {
				if (i > 0) {
					joined.append(',');
				}
				JsonNode element = value.get(i);
				if (!element.isNull()) {
					joined.append(jsString(element));
				}
			}
			return joined.toString();
		}
		return value.toString();
	}

}
