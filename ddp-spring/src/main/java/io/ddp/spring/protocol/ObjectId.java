package io.ddp.spring.protocol;

import java.util.Locale;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A MongoDB object id as Meteor's {@code Mongo.ObjectID} models it: 24 lowercase
 * hexadecimal characters. Its EJSON form is
 * {@code {"$type":"oid","$value":"507f1f77bcf86cd799439011"}}, and as a document id it
 * travels as the bare hex string (see {@link DocumentIds}).
 *
 * @param hexString the 24 lowercase hexadecimal characters
 * @since 0.1.0
 */
public record ObjectId(String hexString) {

	/**
	 * Create an object id. Like Meteor, upper-case hex digits are accepted and stored in
	 * lower case.
	 * @param hexString the 24 hexadecimal characters
	 * @throws IllegalArgumentException if the string is not 24 hexadecimal characters
	 */
	public ObjectId {
		Objects.requireNonNull(hexString, "'hexString' must not be null");
		hexString = hexString.toLowerCase(Locale.ROOT);
		if (!isHexString(hexString)) {
			throw new IllegalArgumentException(
					"Invalid hexadecimal string for creating an ObjectID: '" + hexString + "'");
		}
	}

	/**
	 * Return whether the given string looks like an object id: exactly 24 lowercase
	 * hexadecimal characters (Meteor's {@code MongoID._looksLikeObjectID}).
	 * @param value the string to check
	 * @return whether the string is an object id's hex form
	 */
	public static boolean isHexString(@Nullable String value) {
		if (value == null || value.length() != 24) {
			return false;
		}
		for (int i = 0; i < 24; i++) {
			char ch = value.charAt(i);
			if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Return the hex string.
	 * @return the 24 hexadecimal characters
	 */
	@Override
	public String toString() {
		return this.hexString;
	}

}
