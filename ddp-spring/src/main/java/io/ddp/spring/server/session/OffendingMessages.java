package io.ddp.spring.server.session;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.ddp.spring.protocol.DdpFrames;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code offendingMessage}: Meteor re-serializes the parsed message with plain
 * {@code JSON.stringify}, so a {@code $date} inside {@code params}, {@code fields} or
 * {@code result} comes back as an ISO string (ddp-protocol.md 1.6).
 */
final class OffendingMessages {

	private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private OffendingMessages() {
	}

	static JsonNode of(JsonNode message) {
		if (!message.isObject() || DdpFrames.EJSON_MEMBERS.stream().noneMatch(message::has)) {
			return message;
		}
		ObjectNode copy = ((ObjectNode) message).deepCopy();
		for (String member : DdpFrames.EJSON_MEMBERS) {
			JsonNode value = copy.get(member);
			if (value != null) {
				copy.set(member, plain(value));
			}
		}
		return copy;
	}

	private static JsonNode plain(JsonNode node) {
		if (node.isObject()) {
			JsonNode date = node.get("$date");
			if (node.size() == 1 && date != null && date.isNumber()) {
				return JsonNodeFactory.instance.stringNode(ISO.format(Instant.ofEpochMilli(date.asLong())));
			}
			ObjectNode object = (ObjectNode) node;
			object.propertyNames().forEach((name) -> object.set(name, plain(object.get(name))));
			return object;
		}
		if (node.isArray()) {
			ArrayNode array = (ArrayNode) node;
			for (int i = 0; i < array.size(); i++) {
				array.set(i, plain(array.get(i)));
			}
		}
		return node;
	}

}
