package io.ddp.spring.client;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.Heartbeat;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

/**
 * Writes the client's DDP frames straight to JSON text (no trees) and parses the server's
 * frames in one streaming pass. A method result is bound directly into the type its
 * caller asked for when the invoker is known, which it is for every Meteor-style frame
 * ({@code msg} and {@code id} come before {@code result}). The two frames of nearly every
 * call skip Jackson: Meteor's {@code updated} for one method, and its {@code result} when
 * the caller wants a plain value (or a JSON scalar type) and the value is plain JSON
 * ({@link PlainJsonReader}); plain parameters are written without it too
 * ({@link PlainJsonWriter}).
 *
 * @since 0.1.0
 */
final class ClientFrames {

	private static final String UPDATED_PREFIX = "{\"msg\":\"updated\",\"methods\":[\"";

	private static final String RESULT_PREFIX = "{\"msg\":\"result\",\"id\":\"";

	private static final String RESULT_MEMBER = ",\"result\":";

	private final Ejson ejson;

	private final JsonMapper mapper;

	// members are read mid-stream: the rest of the frame is not "trailing" garbage
	private final ObjectReader reader;

	private final ConcurrentHashMap<JavaType, ObjectReader> typedReaders = new ConcurrentHashMap<>();

	// whether plain parameters may skip Jackson (they would be written the same)
	private final boolean plainParams;

	// whether plain results may skip Jackson (they would be read the same)
	private final boolean plainResults;

	// whether results typed String, Integer, Long or Boolean may skip Jackson too
	private final boolean plainScalars;

	ClientFrames(Ejson ejson) {
		this.ejson = ejson;
		this.mapper = ejson.mapper();
		this.reader = this.mapper.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
		this.plainParams = PlainJsonWriter.writesAsMapperDoes(this.mapper);
		this.plainResults = PlainJsonReader.readsAsMapperDoes(this.mapper);
		this.plainScalars = this.plainResults && PlainJsonReader.bindsScalarsAsMapperDoes(this.mapper);
	}

	String connect(String version, List<String> support, @Nullable String session) {
		StringWriter out = new StringWriter(96);
		try (JsonGenerator g = this.mapper.createGenerator(out)) {
			g.writeStartObject();
			g.writeStringProperty("msg", "connect");
			if (session != null) {
				g.writeStringProperty("session", session);
			}
			g.writeStringProperty("version", version);
			g.writeName("support");
			g.writeStartArray();
			for (String supported : support) {
				g.writeString(supported);
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		return out.toString();
	}

	/**
	 * A {@code method} frame in Meteor's key order: msg, id, method, params, randomSeed.
	 * @param id the method id
	 * @param method the method name
	 * @param params the parameters, written as EJSON
	 * @param randomSeed the seed, or {@code null}
	 * @return the frame
	 */
	String method(String id, String method, List<? extends @Nullable Object> params, @Nullable String randomSeed) {
		// the hot path: fixed members appended directly; the parameters too when they are
		// plain JSON values, else through Jackson
		StringBuilder frame = new StringBuilder(96 + method.length());
		frame.append("{\"msg\":\"method\",\"id\":\"").append(id).append("\",\"method\":");
		appendQuoted(frame, method);
		frame.append(",\"params\":");
		int mark = frame.length();
		if (!this.plainParams || !PlainJsonWriter.append(frame, params)) {
			frame.setLength(mark);
			frame.append(this.mapper.writeValueAsString(params));
		}
		if (randomSeed != null) {
			frame.append(",\"randomSeed\":");
			appendQuoted(frame, randomSeed);
		}
		return frame.append('}').toString();
	}

	private void appendQuoted(StringBuilder out, String value) {
		if (!PlainJsonWriter.appendString(out, value)) {
			out.append(this.mapper.writeValueAsString(value));
		}
	}

	String sub(String id, String name, List<@Nullable Object> params) {
		StringWriter out = new StringWriter(64);
		try (JsonGenerator g = this.mapper.createGenerator(out)) {
			g.writeStartObject();
			g.writeStringProperty("msg", "sub");
			g.writeStringProperty("id", id);
			g.writeStringProperty("name", name);
			g.writeName("params");
			g.writeStartArray();
			for (Object param : params) {
				g.writePOJO(param);
			}
			g.writeEndArray();
			g.writeEndObject();
		}
		return out.toString();
	}

	String unsub(String id) {
		return simple("unsub", id);
	}

	String ping(@Nullable String id) {
		return Heartbeat.ping(id);
	}

	String pong(@Nullable String id) {
		return Heartbeat.pong(id);
	}

	private String simple(String msg, String id) {
		StringWriter out = new StringWriter(32 + id.length());
		try (JsonGenerator g = this.mapper.createGenerator(out)) {
			g.writeStartObject();
			g.writeStringProperty("msg", msg);
			g.writeStringProperty("id", id);
			g.writeEndObject();
		}
		return out.toString();
	}

	/**
	 * Parse a server frame.
	 * @param text the frame
	 * @param invokers finds the invoker of a method id, to bind its result while parsing
	 * @return the message
	 * @throws tools.jackson.core.JacksonException if the text is not a JSON object
	 */
	IncomingMessage parse(String text, Function<String, @Nullable MethodInvoker> invokers) {
		IncomingMessage message = new IncomingMessage();
		if (text.startsWith(UPDATED_PREFIX) && text.endsWith("\"]}")) {
			// Meteor's usual {"msg":"updated","methods":["<id>"]}: no parser needed
			String id = text.substring(UPDATED_PREFIX.length(), text.length() - 3);
			if (id.indexOf('"') < 0 && id.indexOf('\\') < 0) {
				message.msg = "updated";
				message.methods = List.of(id);
				message.memberCount = 2;
				return message;
			}
		}
		if (this.plainResults && text.startsWith(RESULT_PREFIX) && readPlainResult(text, invokers, message)) {
			return message;
		}
		try (JsonParser p = this.reader.createParser(text)) {
			if (p.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalArgumentException("not a JSON object");
			}
			String name;
			while ((name = p.nextName()) != null) {
				JsonToken token = p.nextToken();
				message.memberCount++;
				switch (name) {
					case "msg" -> message.msg = string(p, token);
					case "id" -> message.id = string(p, token);
					case "session" -> message.session = string(p, token);
					case "version" -> message.version = string(p, token);
					case "collection" -> message.collection = string(p, token);
					case "reason" -> message.reason = string(p, token);
					case "server_id" -> {
						message.hasServerId = true;
						p.skipChildren();
					}
					case "fields" -> message.fields = tree(p, token);
					case "error" -> message.error = tree(p, token);
					case "cleared" -> message.cleared = strings(p, token);
					case "methods" -> message.methods = strings(p, token);
					case "subs" -> message.subs = strings(p, token);
					case "result" -> {
						message.hasResult = true;
						MethodInvoker invoker = ("result".equals(message.msg) && message.id != null)
								? invokers.apply(message.id) : null;
						if (invoker != null) {
							message.decoded = decode(invoker, p, token);
						}
						else {
							message.resultTree = tree(p, token);
						}
					}
					default -> p.skipChildren();
				}
			}
		}
		return message;
	}

	/**
	 * Meteor's usual {@code {"msg":"result","id":"<id>","result":<value>}} for a call
	 * that wants a plain value or a {@code String}, {@code Integer}, {@code Long} or
	 * {@code Boolean}, read without Jackson when the value is plain JSON of that type.
	 * @return whether the message was read; if not, nothing of it was
	 */
	private boolean readPlainResult(String text, Function<String, @Nullable MethodInvoker> invokers,
			IncomingMessage message) {
		int idStart = RESULT_PREFIX.length();
		int idEnd = text.indexOf('"', idStart);
		if (idEnd < 0 || !text.startsWith(RESULT_MEMBER, idEnd + 1) || text.charAt(text.length() - 1) != '}') {
			return false;
		}
		String id = text.substring(idStart, idEnd);
		if (id.indexOf('\\') >= 0) {
			return false;
		}
		MethodInvoker invoker = invokers.apply(id);
		if (invoker == null
				|| !(invoker.isPlain() || (this.plainScalars && PlainJsonReader.isScalar(invoker.resultType())))) {
			return false;
		}
		PlainJsonReader reader = new PlainJsonReader(text, idEnd + 1 + RESULT_MEMBER.length());
		Object value = reader.read();
		if (value == PlainJsonReader.NOT_PLAIN || reader.position() != text.length() - 1) {
			return false;
		}
		Object typed = invoker.isPlain() ? value : PlainJsonReader.scalar(invoker.resultType().getRawClass(), value);
		if (typed == PlainJsonReader.NOT_PLAIN) {
			return false;
		}
		message.msg = "result";
		message.id = id;
		message.hasResult = true;
		message.decoded = new IncomingMessage.DecodedResult(typed, value, null);
		message.memberCount = 3;
		return true;
	}

	/**
	 * Decode a result held as a tree (the rare frames where {@code result} precedes
	 * {@code id}).
	 * @param invoker the invoker
	 * @param tree the result
	 * @return the decoded result
	 */
	IncomingMessage.DecodedResult decode(MethodInvoker invoker, JsonNode tree) {
		try {
			Object plain = this.ejson.fromJson(tree);
			Object value = invoker.isPlain() ? plain : this.ejson.convert(tree, invoker.resultType());
			return new IncomingMessage.DecodedResult(value, plain, null);
		}
		catch (RuntimeException ex) {
			return new IncomingMessage.DecodedResult(null, null, ex);
		}
	}

	private IncomingMessage.DecodedResult decode(MethodInvoker invoker, JsonParser p, JsonToken token) {
		if (invoker.wantsPlainResult() && !invoker.isPlain()) {
			return decode(invoker, tree(p, token));
		}
		try {
			Object value = (token == JsonToken.VALUE_NULL) ? null : readerFor(invoker.resultType()).readValue(p);
			return new IncomingMessage.DecodedResult(value, value, null);
		}
		catch (RuntimeException ex) {
			// keep the parser usable: the failing value may be half consumed
			throw new ResultBindingException(ex);
		}
	}

	private JsonNode tree(JsonParser p, JsonToken token) {
		if (token == JsonToken.VALUE_NULL) {
			return NullNode.getInstance();
		}
		return this.reader.readTree(p);
	}

	private ObjectReader readerFor(JavaType type) {
		ObjectReader typed = this.typedReaders.get(type);
		if (typed == null) {
			typed = this.reader.forType(type);
			if (this.typedReaders.size() < 1024) {
				this.typedReaders.put(type, typed);
			}
		}
		return typed;
	}

	private static @Nullable String string(JsonParser p, JsonToken token) {
		if (token == JsonToken.VALUE_STRING) {
			return p.getString();
		}
		p.skipChildren();
		return null;
	}

	private static @Nullable List<String> strings(JsonParser p, JsonToken token) {
		if (token != JsonToken.START_ARRAY) {
			p.skipChildren();
			return null;
		}
		List<String> values = new ArrayList<>(2);
		JsonToken element;
		while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
			if (element == JsonToken.VALUE_STRING) {
				values.add(p.getString());
			}
			else {
				p.skipChildren();
			}
		}
		return values;
	}

	/**
	 * A result that did not fit the requested type; the frame is parsed again as a tree
	 * so the method still gets its answer (as a failure).
	 */
	static final class ResultBindingException extends RuntimeException {

		ResultBindingException(RuntimeException cause) {
			super(cause.getMessage(), cause);
		}

	}

}
