package io.ddp.spring.protocol;

import java.math.BigDecimal;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DocumentIds} (section 4.6).
 */
class DocumentIdsTests {

	private static final String HEX = "507f1f77bcf86cd799439011";

	@Test
	void objectIdIsItsHexString() {
		assertThat(DocumentIds.stringify(new ObjectId(HEX))).isEqualTo(HEX);
		assertThat(DocumentIds.parse(HEX)).isEqualTo(new ObjectId(HEX));
	}

	@Test
	void stringThatLooksLikeAnObjectIdIsDashed() {
		assertThat(DocumentIds.stringify(HEX)).isEqualTo("-" + HEX);
		assertThat(DocumentIds.parse("-" + HEX)).isEqualTo(HEX);
	}

	@Test
	void upperCaseHexStringIsNotAnObjectId() {
		String upper = HEX.toUpperCase();
		assertThat(DocumentIds.stringify(upper)).isEqualTo(upper);
		assertThat(DocumentIds.parse(upper)).isEqualTo(upper);
		assertThat(DocumentIds.stringify(HEX + "0")).isEqualTo(HEX + "0");
	}

	@Test
	void stringsStartingWithEscapeCharactersAreDashed() {
		assertThat(DocumentIds.stringify("-abc")).isEqualTo("--abc");
		assertThat(DocumentIds.stringify("~abc")).isEqualTo("-~abc");
		assertThat(DocumentIds.stringify("{abc")).isEqualTo("-{abc");
		assertThat(DocumentIds.stringify("-")).isEqualTo("--");
		assertThat(DocumentIds.parse("--abc")).isEqualTo("-abc");
		assertThat(DocumentIds.parse("-~abc")).isEqualTo("~abc");
		assertThat(DocumentIds.parse("-{abc")).isEqualTo("{abc");
		assertThat(DocumentIds.parse("--")).isEqualTo("-");
	}

	@Test
	void emptyStringIsUnchanged() {
		assertThat(DocumentIds.stringify("")).isEmpty();
		assertThat(DocumentIds.parse("")).isEqualTo("");
	}

	@Test
	void otherStringsAreUnchanged() {
		assertThat(DocumentIds.stringify("devBuvC559TzDB3E9")).isEqualTo("devBuvC559TzDB3E9");
		assertThat(DocumentIds.stringify("a-b~c{")).isEqualTo("a-b~c{");
		assertThat(DocumentIds.parse("devBuvC559TzDB3E9")).isEqualTo("devBuvC559TzDB3E9");
	}

	@Test
	void numbersBooleansAndNullAreTildeJson() {
		assertThat(DocumentIds.stringify(42)).isEqualTo("~42");
		assertThat(DocumentIds.stringify(-7L)).isEqualTo("~-7");
		assertThat(DocumentIds.stringify(1.5)).isEqualTo("~1.5");
		assertThat(DocumentIds.stringify(true)).isEqualTo("~true");
		assertThat(DocumentIds.stringify(false)).isEqualTo("~false");
		assertThat(DocumentIds.stringify(null)).isEqualTo("~null");
	}

	@Test
	void doublesAreWrittenAsJavaScriptNumbers() {
		assertThat(DocumentIds.stringify(42.0)).isEqualTo("~42");
		assertThat(DocumentIds.stringify(0.1f)).isEqualTo("~0.1");
		assertThat(DocumentIds.stringify(1e21)).isEqualTo("~1e+21");
		assertThat(DocumentIds.stringify(1e-7)).isEqualTo("~1e-7");
		assertThat(DocumentIds.stringify(new BigDecimal("2.50"))).isEqualTo("~2.5");
		assertThat(DocumentIds.stringify(Double.NaN)).isEqualTo("~null");
		assertThat(DocumentIds.stringify(-0.0)).isEqualTo("~0");
	}

	@Test
	void tildeIdsParseAsJson() {
		assertThat(DocumentIds.parse("~42")).isEqualTo(42);
		assertThat(DocumentIds.parse("~-7")).isEqualTo(-7);
		assertThat(DocumentIds.parse("~1.5")).isEqualTo(1.5);
		assertThat(DocumentIds.parse("~true")).isEqualTo(true);
		assertThat(DocumentIds.parse("~false")).isEqualTo(false);
		assertThat(DocumentIds.parse("~null")).isNull();
		assertThat(DocumentIds.parse("~1e+21")).isEqualTo(1e21);
	}

	@Test
	void invalidTildeIdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DocumentIds.parse("~abc"));
		assertThatIllegalArgumentException().isThrownBy(() -> DocumentIds.parse("~1 2"));
	}

	@Test
	void loneDashIsUndefined() {
		assertThat(DocumentIds.parse("-")).isNull();
	}

	@Test
	void objectsOtherThanObjectIdAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DocumentIds.stringify(Map.of("a", 1)))
			.withMessageContaining("ObjectID");
	}

	@Test
	void everyKindOfIdRoundTrips() {
		Object[] ids = { new ObjectId(HEX), HEX, "-x", "~x", "{x", "", "plain", 42, 1.5, true, false, null };
		for (Object id : ids) {
			assertThat(DocumentIds.parse(DocumentIds.stringify(id))).as("%s", id).isEqualTo(id);
		}
	}

}
