package io.ddp.spring.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * JSONB's key order: PostgreSQL stores an object's keys sorted by their length in UTF-8
 * bytes, then by those bytes, and reads them back in that order.
 * {@link #isJsonbOrder(String)} tells whether a JSON text already lists every object's
 * keys so, in which case {@code jsonb} gives the text's order back and the store keeps no
 * written copy.
 */
final class JsonbKeyOrder {

	private static final JsonFactory FACTORY = new JsonFactory();

	// The last key of each open object; NONE before an object's first key
	private static final String NONE = "";

	private JsonbKeyOrder() {
	}

	/**
	 * Return whether every object of a JSON text lists its keys in JSONB's order.
	 * @param json the JSON text, valid
	 * @return whether JSONB keeps the text's key order
	 */
	static boolean isJsonbOrder(String json) {
		Deque<String> previous = new ArrayDeque<>();
		try (JsonParser parser = FACTORY.createParser(ObjectReadContext.empty(), json)) {
			for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
				if (token == JsonToken.START_OBJECT) {
					previous.push(NONE);
				}
				else if (token == JsonToken.END_OBJECT) {
					previous.pop();
				}
				else if (token == JsonToken.PROPERTY_NAME) {
					String key = parser.currentName();
					String last = previous.pop();
					// The empty key comes first in JSONB, so NONE never orders after it
					if (!last.equals(NONE) && compare(last, key) > 0) {
						return false;
					}
					previous.push(key);
				}
			}
		}
		return true;
	}

	/**
	 * Compare keys as JSONB orders them.
	 */
	static int compare(String a, String b) {
		if (isAscii(a) && isAscii(b)) {
			// One byte per char: length, then chars
			return (a.length() != b.length()) ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
		}
		byte[] x = a.getBytes(StandardCharsets.UTF_8);
		byte[] y = b.getBytes(StandardCharsets.UTF_8);
		return (x.length != y.length) ? Integer.compare(x.length, y.length) : Arrays.compareUnsigned(x, y);
	}

	private static boolean isAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			if (value.charAt(i) >= 0x80) {
				return false;
			}
		}
		return true;
	}

}
