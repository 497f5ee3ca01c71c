package io.ddp.spring.test.tester;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The frames a tester sends, and the inbound handling every link shares.
 */
final class Frames {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private Frames() {
	}

	/**
	 * Log an inbound frame; a {@code ping} is answered with its {@code pong} instead, so
	 * heartbeats never show up in assertions.
	 */
	static void receive(JsonNode frame, FrameLog log, Consumer<String> reply) {
		if ("ping".equals(msg(frame))) {
			ObjectNode pong = NODES.objectNode().put("msg", "pong");
			JsonNode id = frame.get("id");
			if (id != null) {
				pong.set("id", id);
			}
			reply.accept(pong.toString());
			return;
		}
		log.add(frame);
	}

	static String connect() {
		return "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}";
	}

	static String method(String id, String method, @Nullable Object[] args, Ejson ejson) {
		return NODES.objectNode()
			.put("msg", "method")
			.put("id", id)
			.put("method", method)
			.set("params", params(args, ejson))
			.toString();
	}

	static String sub(String id, String name, @Nullable Object[] args, Ejson ejson) {
		return NODES.objectNode()
			.put("msg", "sub")
			.put("id", id)
			.put("name", name)
			.set("params", params(args, ejson))
			.toString();
	}

	static String unsub(String id) {
		return NODES.objectNode().put("msg", "unsub").put("id", id).toString();
	}

	private static JsonNode params(@Nullable Object[] args, Ejson ejson) {
		List<@Nullable Object> list = Arrays.asList(args);
		JsonNode params = ejson.toJson(list);
		return (params instanceof ArrayNode) ? params : NODES.arrayNode().add(params);
	}

	static @Nullable String msg(JsonNode frame) {
		JsonNode msg = frame.get("msg");
		return (msg != null && msg.isString()) ? msg.asString() : null;
	}

	static boolean is(JsonNode frame, String msg, String id) {
		JsonNode value = frame.get("id");
		return msg.equals(msg(frame)) && value != null && id.equals(value.asString());
	}

	static boolean lists(JsonNode frame, String msg, String member, String id) {
		JsonNode ids = frame.get(member);
		if (!msg.equals(msg(frame)) || ids == null || !ids.isArray()) {
			return false;
		}
		for (JsonNode element : ids) {
			if (id.equals(element.asString())) {
				return true;
			}
		}
		return false;
	}

}
