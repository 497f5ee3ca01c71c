package io.ddp.spring.security;

import io.ddp.spring.protocol.MeteorPasswords;
import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DigestPasswordEncoder}.
 */
class DigestPasswordEncoderTests {

	// SHA-256 of "secret", as a Meteor client sends it.
	private static final String SECRET_DIGEST = "2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b";

	private final DigestPasswordEncoder encoder = new DigestPasswordEncoder(new BCryptPasswordEncoder(4));

	@Test
	void digestIsMeteorsSha256Hex() {
		assertThat(MeteorPasswords.digest("secret")).isEqualTo(SECRET_DIGEST);
	}

	@Test
	void storesTheDelegatesHashOfTheDigest() {
		String encoded = this.encoder.encode("secret");
		assertThat(new BCryptPasswordEncoder().matches(SECRET_DIGEST, encoded)).isTrue();
		assertThat(new BCryptPasswordEncoder().matches("secret", encoded)).isFalse();
	}

	@Test
	void matchesThePlaintextAndTheDigestInEitherCase() {
		String encoded = this.encoder.encode("secret");
		assertThat(this.encoder.matches("secret", encoded)).isTrue();
		assertThat(this.encoder.matches(SECRET_DIGEST, encoded)).isTrue();
		assertThat(this.encoder.matches(SECRET_DIGEST.toUpperCase(java.util.Locale.ROOT), encoded)).isTrue();
		assertThat(this.encoder.matches("Secret", encoded)).isFalse();
		assertThat(this.encoder.matches(MeteorPasswords.digest("other"), encoded)).isFalse();
		assertThat(this.encoder.matches(null, encoded)).isFalse();
	}

	@Test
	void aPasswordThatLooksLikeADigestStillMatchesAsPlaintext() {
		String password = MeteorPasswords.digest("whatever");
		String encoded = this.encoder.encode(password);
		assertThat(this.encoder.matches(password, encoded)).isTrue();
		assertThat(this.encoder.matches(MeteorPasswords.digest(password), encoded)).isTrue();
	}

}
