package io.ddp.spring.protocol;

import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes DDP frames as JSON text, streaming straight into a string without building a
 * tree. Only {@code fields}, {@code params} and {@code result} are EJSON; error objects
 * and {@code offendingMessage} are plain JSON, as Meteor sends them.
 *
 * <p>
 * A frame is always well-formed UTF-16, so it encodes as UTF-8: a lone surrogate in a
 * string (from a client's escaped one, or an application's text) is written as a JSON
 * escape (a backslash, {@code u} and four hex digits), as JavaScript's
 * {@code JSON.stringify} does, and any JSON parser reads it back as the same lone
 * surrogate. Unescaped, it would make the container's UTF-8 encoder fail the write.
 *
 * <p>
 * Thread-safe: every call uses its own generator.
 *
 * @since 0.1.0
 */
public final class DdpFrames {

	/**
	 * The only message members whose values are EJSON; everything else is plain JSON.
	 */
	public static final List<String> EJSON_MEMBERS = List.of("fields", "params", "result");

	private final JsonMapper ejsonMapper;

	private final JsonMapper plainMapper;

	/**
	 * Create an encoder that writes EJSON values with the given {@link Ejson}.
	 * @param ejson the EJSON codec
	 */
	public DdpFrames(Ejson ejson) {
		this.ejsonMapper = ejson.mapper();
		this.plainMapper = JsonMappers.plain();
	}

	/**
	 * Return the EJSON codec's mapper used for {@code fields}, {@code params} and
	 * {@code result}.
	 * @return the mapper
	 */
	public JsonMapper ejsonMapper() {
		return this.ejsonMapper;
	}

	public String connected(String session) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "connected");
			g.writeStringProperty("session", session);
		});
	}

	public String failed(String version) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "failed");
			g.writeStringProperty("version", version);
		});
	}

	public String ping(@Nullable String id) {
		return Heartbeat.ping(id);
	}

	public String pong(@Nullable String id) {
		return Heartbeat.pong(id);
	}

	/**
	 * An {@code error} frame, with the offending message when there is one.
	 * @param reason the reason, e.g. {@code Bad request}
	 * @param offendingMessage the parsed message as plain JSON, or {@code null}
	 * @return the frame
	 */
	public String error(String reason, @Nullable JsonNode offendingMessage) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "error");
			g.writeStringProperty("reason", reason);
			if (offendingMessage != null) {
				g.writeName("offendingMessage");
				g.writeTree(offendingMessage);
			}
		});
	}

	/**
	 * A successful {@code result}; the value is written as EJSON.
	 * @param id the method id
	 * @param value the result value, {@code null} for {@code "result":null}
	 * @return the frame
	 */
	public String result(String id, @Nullable Object value) {
		return write(this.ejsonMapper, (g) -> {
			g.writeStringProperty("msg", "result");
			g.writeStringProperty("id", id);
			g.writeName("result");
			g.writePOJO(value);
		});
	}

	/**
	 * A {@code result} without a {@code result} field, for methods that return nothing.
	 * @param id the method id
	 * @return the frame
	 */
	public String resultWithoutValue(String id) {
		return withId("result", id);
	}

	/**
	 * A {@code result} carrying an error object.
	 * @param id the method id
	 * @param error the error
	 * @return the frame
	 */
	public String resultError(String id, DdpException error) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "result");
			g.writeStringProperty("id", id);
			g.writeName("error");
			writeError(g, error);
		});
	}

	public String updated(Collection<String> methodIds) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "updated");
			g.writeName("methods");
			g.writeStartArray();
			for (String id : methodIds) {
				g.writeString(id);
			}
			g.writeEndArray();
		});
	}

	public String updated(String methodId) {
		return "{\"msg\":\"updated\",\"methods\":[" + quote(methodId) + "]}";
	}

	/**
	 * A {@code nosub} frame; without id and error when they are {@code null}.
	 * @param id the subscription id or {@code null}
	 * @param error the error or {@code null}
	 * @return the frame
	 */
	public String nosub(@Nullable String id, @Nullable DdpException error) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "nosub");
			if (id != null) {
				g.writeStringProperty("id", id);
			}
			if (error != null) {
				g.writeName("error");
				writeError(g, error);
			}
		});
	}

	public String ready(Collection<String> subIds) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "ready");
			g.writeName("subs");
			g.writeStartArray();
			for (String id : subIds) {
				g.writeString(id);
			}
			g.writeEndArray();
		});
	}

	/**
	 * An {@code added} frame; {@code fields} is left out when empty.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the fields, written as EJSON
	 * @return the frame
	 */
	public String added(String collection, String id, Map<String, ? extends @Nullable Object> fields) {
		return write(this.ejsonMapper, (g) -> {
			g.writeStringProperty("msg", "added");
			g.writeStringProperty("collection", collection);
			g.writeStringProperty("id", id);
			writeFields(g, fields);
		});
	}

	/**
	 * A {@code changed} frame; {@code fields} and {@code cleared} are left out when
	 * empty.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @param fields the changed fields, written as EJSON
	 * @param cleared the removed fields
	 * @return the frame
	 */
	public String changed(String collection, String id, Map<String, ? extends @Nullable Object> fields,
			Collection<String> cleared) {
		return write(this.ejsonMapper, (g) -> {
			g.writeStringProperty("msg", "changed");
			g.writeStringProperty("collection", collection);
			g.writeStringProperty("id", id);
			writeFields(g, fields);
			if (!cleared.isEmpty()) {
				g.writeName("cleared");
				g.writeStartArray();
				for (String name : cleared) {
					g.writeString(name);
				}
				g.writeEndArray();
			}
		});
	}

	/**
	 * A {@code removed} frame.
	 * @param collection the collection name
	 * @param id the document id as it goes on the wire
	 * @return the frame
	 */
	public String removed(String collection, String id) {
		return write(this.plainMapper, (g) -> {
			g.writeStringProperty("msg", "removed");
			g.writeStringProperty("collection", collection);
			g.writeStringProperty("id", id);
		});
	}

	private static void writeFields(JsonGenerator g, Map<String, ? extends @Nullable Object> fields) {
		if (fields.isEmpty()) {
			return;
		}
		g.writeName("fields");
		g.writeStartObject();
		for (Map.Entry<String, ? extends @Nullable Object> field : fields.entrySet()) {
			g.writeName(field.getKey());
			g.writePOJO(field.getValue());
		}
		g.writeEndObject();
	}

	/**
	 * The error object exactly as Meteor serializes a {@code Meteor.Error} (see
	 * {@link DdpErrorObject}).
	 * @param error the error
	 * @return the error object as JSON text
	 */
	public String errorObject(DdpException error) {
		StringWriter out = new StringWriter(128);
		try (JsonGenerator g = this.plainMapper.createGenerator(out)) {
			writeError(g, error);
		}
		return escapeLoneSurrogates(out.toString());
	}

	private void writeError(JsonGenerator g, DdpException error) {
		DdpErrorObject.write(g, error);
	}

	/**
	 * Format a number the way JavaScript prints it for whole values ({@code 404}, not
	 * {@code 404.0}).
	 * @param number the number
	 * @return its text
	 */
	static String numberText(Number number) {
		double value = number.doubleValue();
		if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
			return Long.toString((long) value);
		}
		return number.toString();
	}

	private String withId(String msg, String id) {
		return "{\"msg\":\"" + msg + "\",\"id\":" + quote(id) + "}";
	}

	private String quote(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f) {
				return escapeLoneSurrogates(this.plainMapper.writeValueAsString(text));
			}
		}
		return "\"" + text + "\"";
	}

	private static String write(JsonMapper mapper, Consumer<JsonGenerator> body) {
		StringWriter out = new StringWriter(96);
		try (JsonGenerator g = mapper.createGenerator(out)) {
			g.writeStartObject();
			body.accept(g);
			g.writeEndObject();
		}
		return escapeLoneSurrogates(out.toString());
	}

	/**
	 * Escape every lone surrogate of a JSON text as a JSON escape. Outside strings JSON
	 * text is ASCII, so every surrogate is inside a string, where the escape stands for
	 * the same character.
	 * @param json the JSON text
	 * @return the same text if it is well-formed, else an escaped copy
	 */
	static String escapeLoneSurrogates(String json) {
		int length = json.length();
		for (int i = 0; i < length; i++) {
			if (Character.isSurrogate(json.charAt(i))) {
				if (isPair(json, i)) {
					i++;
				}
				else {
					return escapeFrom(json, i);
				}
			}
		}
		return json;
	}

	private static String escapeFrom(String json, int first) {
		int length = json.length();
		StringBuilder out = new StringBuilder(length + 16).append(json, 0, first);
		for (int i = first; i < length; i++) {
			char c = json.charAt(i);
			if (!Character.isSurrogate(c)) {
				out.append(c);
			}
			else if (isPair(json, i)) {
				out.append(c).append(json.charAt(++i));
			}
			else {
				out.append("\\u").append(Integer.toHexString(c));
			}
		}
		return out.toString();
	}

	private static boolean isPair(String text, int index) {
		return Character.isHighSurrogate(text.charAt(index)) && index + 1 < text.length()
				&& Character.isLowSurrogate(text.charAt(index + 1));
	}

}
