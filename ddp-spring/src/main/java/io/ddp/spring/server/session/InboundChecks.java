package io.ddp.spring.server.session;

import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.DdpVersions;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks of inbound messages that need nothing of the session: whether the EJSON members
 * decode, and the version a {@code connect} asks for.
 */
final class InboundChecks {

	private InboundChecks() {
	}

	/**
	 * Return whether a message's EJSON members decode, as Meteor checks before it
	 * dispatches: a message that fails is answered with a parse error.
	 * @param message the message
	 * @param ejson the server's EJSON
	 * @return whether it decodes
	 */
	static boolean ejsonDecodes(JsonNode message, Ejson ejson) {
		if (!message.isObject()) {
			return true;
		}
		JsonNode cleared = message.get("cleared");
		if (cleared != null && !cleared.isArray()) {
			return false;
		}
		try {
			for (String member : DdpFrames.EJSON_MEMBERS) {
				JsonNode value = message.get(member);
				if (value != null) {
					ejson.validate(value);
				}
			}
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Return the version to answer a {@code connect} with: the one it asks for when the
	 * server speaks it and the client lists it in {@code support}, otherwise the one to
	 * propose in {@code failed}.
	 * @param connect the message
	 * @return the version and whether the client's was taken
	 */
	static Negotiation negotiate(JsonNode connect) {
		JsonNode version = connect.get("version");
		JsonNode support = connect.get("support");
		if (version == null || !version.isString() || !isStringArray(support)
				|| !contains(support, version.asString())) {
			return new Negotiation("1", false);
		}
		String pick = DdpVersions.negotiate(support.valueStream().map(JsonNode::asString).toList());
		return new Negotiation(pick, pick.equals(version.asString()));
	}

	private static boolean isStringArray(@Nullable JsonNode node) {
		if (node == null || !node.isArray()) {
			return false;
		}
		for (JsonNode element : node) {
			if (!element.isString()) {
				return false;
			}
		}
		return true;
	}

	private static boolean contains(JsonNode array, String value) {
		for (JsonNode element : array) {
			if (value.equals(element.asString())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The outcome of a version negotiation.
	 *
	 * @param version the version to connect with, or to propose
	 * @param agreed whether the client asked for it
	 */
	record Negotiation(String version, boolean agreed) {
	}

}
