package io.ddp.spring.protocol;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A source of Meteor's random values ({@code Random} in Meteor's {@code random} package):
 * ids, secrets and hex strings drawn from a generator of fractions.
 * <p>
 * {@link #secure()} draws from a {@link java.security.SecureRandom}, like Meteor's
 * unseeded server generator. {@link #alea(String...)} and
 * {@link #forStream(String, String)} are the seeded Alea generator that lets a client's
 * method stub and the server produce the same ids from a method's {@code randomSeed}.
 *
 * @since 0.1.0
 */
public abstract class MeteorRandom {

	/** Alphabet of {@link #id()}: no characters that are easily mistaken for others. */
	static final String UNMISTAKABLE_CHARS = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

	/** Alphabet of {@link #secret()}: URL-safe base64. */
	static final String BASE64_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

	/** Alphabet of {@link #hexString(int)}. */
	static final String HEX_CHARS = "0123456789abcdef";

	private static final int DEFAULT_ID_LENGTH = 17;

	private static final int DEFAULT_SECRET_LENGTH = 43;

	private static final int STREAM_SEED_LENGTH = 20;

	/**
	 * Create a generator.
	 */
	protected MeteorRandom() {
	}

	/**
	 * Return the shared generator backed by a {@link java.security.SecureRandom}.
	 * Thread-safe.
	 * @return the secure generator
	 */
	public static MeteorRandom secure() {
		return SecureMeteorRandom.INSTANCE;
	}

	/**
	 * Create an Alea generator seeded with the given values, as Meteor's
	 * {@code Random.createWithSeeds}. With no seeds it is seeded with the current time,
	 * as in Meteor. Alea generators are not thread-safe.
	 * @param seeds the seeds
	 * @return a new generator
	 */
	public static MeteorRandom alea(String... seeds) {
		Objects.requireNonNull(seeds, "'seeds' must not be null");
		if (seeds.length == 0) {
			return new AleaRandom(new String[] { Long.toString(System.currentTimeMillis()) });
		}
		for (String seed : seeds) {
			Objects.requireNonNull(seed, "'seeds' must not contain null");
		}
		return new AleaRandom(seeds.clone());
	}

	/**
	 * Create the generator of a named random stream of a method invocation, as Meteor's
	 * {@code DDP.randomStream(name)}: Alea seeded with the method's {@code randomSeed}
	 * and the stream name, for example {@code "/collection/tasks"} for document ids of
	 * inserts into {@code tasks}. Without a seed (a {@code null} or empty
	 * {@code randomSeed}) a random one is used, so the ids differ from the client's, as
	 * in Meteor. The generator is not thread-safe.
	 * @param randomSeed the method's {@code randomSeed}, or {@code null}
	 * @param streamName the stream name
	 * @return a new generator
	 */
	public static MeteorRandom forStream(@Nullable String randomSeed, String streamName) {
		Objects.requireNonNull(streamName, "'streamName' must not be null");
		String seed = (randomSeed == null || randomSeed.isEmpty()) ? secure().hexString(STREAM_SEED_LENGTH)
				: randomSeed;
		return new AleaRandom(new String[] { seed, streamName });
	}

	/**
	 * Return the next random fraction.
	 * @return a number in {@code [0, 1)}
	 */
	public abstract double fraction();

	/**
	 * Return a random id of 17 characters, as used for document and session ids.
	 * @return the id
	 */
	public String id() {
		return id(DEFAULT_ID_LENGTH);
	}

	/**
	 * Return a random id of the given length, drawn from
	 * {@code 23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz}.
	 * @param length the number of characters
	 * @return the id
	 */
	public String id(int length) {
		return randomString(length, UNMISTAKABLE_CHARS);
	}

	/**
	 * Return a random secret of 43 characters (about 256 bits), as used for login tokens.
	 * @return the secret
	 */
	public String secret() {
		return secret(DEFAULT_SECRET_LENGTH);
	}

	/**
	 * Return a random secret of the given length, drawn from the URL-safe base64
	 * alphabet.
	 * @param length the number of characters
	 * @return the secret
	 */
	public String secret(int length) {
		return randomString(length, BASE64_CHARS);
	}

	/**
	 * Return a random string of lowercase hexadecimal digits.
	 * @param length the number of digits
	 * @return the hex string
	 */
	public String hexString(int length) {
		return randomString(length, HEX_CHARS);
	}

	/**
	 * Return one random character of the given alphabet, as a string.
	 * @param alphabet the characters to choose from
	 * @return a one-character string, or {@code ""} if the alphabet is empty
	 */
	public String choice(String alphabet) {
		int index = (int) Math.floor(fraction() * alphabet.length());
		return alphabet.isEmpty() ? "" : alphabet.substring(index, index + 1);
	}

	/**
	 * Return one random element of the given list.
	 * @param <T> the element type
	 * @param values the values to choose from
	 * @return the chosen element
	 * @throws IllegalArgumentException if the list is empty
	 */
	public <T> T choice(List<T> values) {
		if (values.isEmpty()) {
			throw new IllegalArgumentException("'values' must not be empty");
		}
		return values.get((int) Math.floor(fraction() * values.size()));
	}

	/**
	 * Return a string of random characters of the given alphabet. This implementation
	 * makes one {@link #choice(String)} per character, as Meteor does, which seeded
	 * generators depend on.
	 * @param length the number of characters
	 * @param alphabet the characters to choose from
	 * @return the string
	 */
	protected String randomString(int length, String alphabet) {
		if (length < 0) {
			throw new IllegalArgumentException("'length' must not be negative");
		}
		StringBuilder result = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			result.append(choice(alphabet));
		}
		return result.toString();
	}

}
