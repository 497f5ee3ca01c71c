package io.ddp.spring.protocol;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The unseeded generator: cryptographically strong and thread-safe. Strings are drawn
 * from random bytes with rejection sampling, so every character of an alphabet is equally
 * likely and one {@link SecureRandom} call serves a whole id.
 */
final class SecureMeteorRandom extends MeteorRandom {

	static final SecureMeteorRandom INSTANCE = new SecureMeteorRandom(createSecureRandom());

	private final SecureRandom random;

	SecureMeteorRandom(SecureRandom random) {
		this.random = random;
	}

	private static SecureRandom createSecureRandom() {
		try {
			// NIST SP 800-90A DRBG: thread-safe and several times faster than NativePRNG,
			// which serializes every caller on /dev/urandom reads
			return SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			return new SecureRandom();
		}
	}

	@Override
	public double fraction() {
		// 53 random bits: every double of the form k / 2^53
		return (this.random.nextLong() >>> 11) * 0x1.0p-53;
	}

	@Override
	protected String randomString(int length, String alphabet) {
		if (length < 0) {
			throw new IllegalArgumentException("'length' must not be negative");
		}
		int size = alphabet.length();
		if (size == 0 || size > 256) {
			return super.randomString(length, alphabet);
		}
		// Bytes at or above the largest multiple of the alphabet size would bias the
		// result
		int limit = 256 - (256 % size);
		char[] result = new char[length];
		byte[] bytes = new byte[length + (length >> 1) + 8];
		int available = 0;
		for (int i = 0; i < length;) {
			if (available == 0) {
				this.random.nextBytes(bytes);
				available = bytes.length;
			}
			int value = bytes[--available] & 0xff;
			if (value < limit) {
				result[i++] = alphabet.charAt(value % size);
			}
		}
		return new String(result);
	}

}
