package io.ddp.spring.protocol;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MeteorRandom}, with the test vectors of Appendix A of the protocol
 * reference.
 */
class MeteorRandomTests {

	private static final String ID_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";

	private static final String SECRET_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

	@Test
	void aleaSeededWithHelloGivesMeteorsFractions() {
		MeteorRandom random = MeteorRandom.alea("hello");
		assertThat(random.fraction()).isEqualTo(0.8750656815245748);
		assertThat(random.fraction()).isEqualTo(0.33650841237977147);
		assertThat(random.fraction()).isEqualTo(0.6642807484604418);
	}

	@Test
	void aleaCollectionStreamGivesMeteorsIds() {
		MeteorRandom random = MeteorRandom.alea("0123456789abcdef0123", "/collection/tasks");
		assertThat(random.id()).isEqualTo("devBuvC559TzDB3E9");
		assertThat(random.id()).isEqualTo("MjBCWTC6R4Tr5jJ3h");
	}

	@Test
	void aleaRpcStreamGivesMeteorsHexString() {
		assertThat(MeteorRandom.alea("0123456789abcdef0123", "/rpc/inner").hexString(20))
			.isEqualTo("704ac0ec583c3c34d809");
	}

	@Test
	void forStreamSeedsAleaWithSeedAndStreamName() {
		MeteorRandom stream = MeteorRandom.forStream("0123456789abcdef0123", "/collection/tasks");
		assertThat(stream.id()).isEqualTo("devBuvC559TzDB3E9");
		assertThat(stream.id()).isEqualTo("MjBCWTC6R4Tr5jJ3h");
	}

	@Test
	void forStreamWithoutSeedUsesARandomSeed() {
		String first = MeteorRandom.forStream(null, "/collection/tasks").id();
		String second = MeteorRandom.forStream(null, "/collection/tasks").id();
		String fromEmpty = MeteorRandom.forStream("", "/collection/tasks").id();
		assertThat(first).hasSize(17).isNotEqualTo(second).isNotEqualTo("devBuvC559TzDB3E9");
		assertThat(fromEmpty).isNotEqualTo(first).isNotEqualTo(second);
	}

	@Test
	void equalSeedsGiveEqualSequences() {
		MeteorRandom first = MeteorRandom.alea("a", "b");
		MeteorRandom second = MeteorRandom.alea("a", "b");
		MeteorRandom other = MeteorRandom.alea("a", "c");
		String sequence = first.id() + first.secret() + first.hexString(8);
		assertThat(second.id() + second.secret() + second.hexString(8)).isEqualTo(sequence);
		assertThat(other.id() + other.secret() + other.hexString(8)).isNotEqualTo(sequence);
	}

	@Test
	void aleaWithoutSeedsStillWorks() {
		double fraction = MeteorRandom.alea().fraction();
		assertThat(fraction).isGreaterThanOrEqualTo(0).isLessThan(1);
	}

	@Test
	void aleaFractionsStayInUnitInterval() {
		MeteorRandom random = MeteorRandom.alea("range");
		for (int i = 0; i < 100_000; i++) {
			assertThat(random.fraction()).isGreaterThanOrEqualTo(0).isLessThan(1);
		}
	}

	@Test
	void idsHaveTheirLengthsAndAlphabets() {
		for (MeteorRandom random : List.of(MeteorRandom.secure(), MeteorRandom.alea("alphabet"))) {
			for (int i = 0; i < 200; i++) {
				assertThat(random.id()).hasSize(17).matches("[" + ID_ALPHABET + "]+");
				assertThat(random.id(5)).hasSize(5).matches("[" + ID_ALPHABET + "]+");
				assertThat(random.secret()).hasSize(43).matches("[a-zA-Z0-9_-]+");
				assertThat(random.secret(10)).hasSize(10);
				assertThat(random.hexString(20)).hasSize(20).matches("[0-9a-f]+");
				assertThat(random.hexString(7)).hasSize(7);
			}
			assertThat(random.id(0)).isEmpty();
		}
	}

	@Test
	void secureIdsUseEveryCharacterOfTheAlphabet() {
		Set<Character> seen = new HashSet<>();
		Set<Character> seenSecret = new HashSet<>();
		for (int i = 0; i < 2000; i++) {
			MeteorRandom.secure().id().chars().forEach((ch) -> seen.add((char) ch));
			MeteorRandom.secure().secret().chars().forEach((ch) -> seenSecret.add((char) ch));
		}
		assertThat(seen).hasSize(ID_ALPHABET.length());
		assertThat(seenSecret).hasSize(SECRET_ALPHABET.length());
	}

	@Test
	void secureIsSharedAndThreadSafe() throws Exception {
		assertThat(MeteorRandom.secure()).isSameAs(MeteorRandom.secure());
		Set<String> ids = ConcurrentHashMap.newKeySet();
		ExecutorService executor = Executors.newFixedThreadPool(8);
		for (int t = 0; t < 8; t++) {
			executor.execute(() -> {
				for (int i = 0; i < 2000; i++) {
					ids.add(MeteorRandom.secure().id());
				}
			});
		}
		executor.shutdown();
		assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		assertThat(ids).hasSize(16000);
	}

	@Test
	void secureFractionsStayInUnitInterval() {
		for (int i = 0; i < 10_000; i++) {
			assertThat(MeteorRandom.secure().fraction()).isGreaterThanOrEqualTo(0).isLessThan(1);
		}
	}

	@Test
	void choicePicksFromTheAlphabetOrList() {
		MeteorRandom random = MeteorRandom.alea("choice");
		for (int i = 0; i < 100; i++) {
			assertThat(random.choice("xyz")).isIn("x", "y", "z");
			assertThat(random.choice(List.of(1, 2))).isIn(1, 2);
		}
		assertThat(random.choice("")).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> random.choice(List.of()));
	}

	@Test
	void idUsesOneFractionPerCharacter() {
		MeteorRandom random = new FixedRandom(0.0, 0.999, 0.5);
		assertThat(random.id(3)).isEqualTo("2z" + ID_ALPHABET.charAt(27));
		assertThat(new FixedRandom(0.999).hexString(1)).isEqualTo("f");
		assertThat(new FixedRandom(0.999).secret(1)).isEqualTo("_");
	}

	@Test
	void negativeLengthIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> MeteorRandom.alea("x").id(-1));
		assertThatIllegalArgumentException().isThrownBy(() -> MeteorRandom.secure().id(-1));
	}

	@Test
	void jsIntegerConversionsTruncateAndWrap() {
		assertThat(JsValues.toUint32(-1)).isEqualTo(4294967295.0);
		assertThat(JsValues.toUint32(4294967296.0 + 5.7)).isEqualTo(5.0);
		assertThat(JsValues.toUint32(-0.5)).isEqualTo(0.0);
		assertThat(JsValues.toUint32(Double.NaN)).isEqualTo(0.0);
		assertThat(JsValues.toInt32(2147483648.0)).isEqualTo(-2147483648.0);
		assertThat(JsValues.toInt32(-2.9)).isEqualTo(-2.0);
		assertThat(JsValues.toInt32(3.9)).isEqualTo(3.0);
		assertThat(JsValues.toInt32(1e20)).isEqualTo(1661992960.0);
	}

	private static final class FixedRandom extends MeteorRandom {

		private final double[] fractions;

		private int next;

		FixedRandom(double... fractions) {
			this.fractions = fractions;
		}

		@Override
		public double fraction() {
			return this.fractions[this.next++ % this.fractions.length];
		}

	}

}
