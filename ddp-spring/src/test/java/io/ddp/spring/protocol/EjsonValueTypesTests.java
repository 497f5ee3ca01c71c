package io.ddp.spring.protocol;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ObjectId}, {@link EjsonRegExp} and the JavaScript conversions in
 * {@link JsValues}.
 */
class EjsonValueTypesTests {

	@Test
	void objectIdAcceptsTwentyFourHexCharacters() {
		ObjectId id = new ObjectId("507f1f77bcf86cd799439011");
		assertThat(id.hexString()).isEqualTo("507f1f77bcf86cd799439011");
		assertThat(id).hasToString("507f1f77bcf86cd799439011");
	}

	@Test
	void objectIdLowerCasesLikeMeteor() {
		assertThat(new ObjectId("507F1F77BCF86CD799439011")).isEqualTo(new ObjectId("507f1f77bcf86cd799439011"));
	}

	@Test
	void objectIdRejectsOtherStrings() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ObjectId("507f1f77bcf86cd79943901"));
		assertThatIllegalArgumentException().isThrownBy(() -> new ObjectId("507f1f77bcf86cd79943901g"));
		assertThatIllegalArgumentException().isThrownBy(() -> new ObjectId(""));
	}

	@Test
	void isHexStringRequiresLowerCase() {
		assertThat(ObjectId.isHexString("507f1f77bcf86cd799439011")).isTrue();
		assertThat(ObjectId.isHexString("507F1F77BCF86CD799439011")).isFalse();
		assertThat(ObjectId.isHexString(null)).isFalse();
	}

	@Test
	void regExpOfPatternMapsFlags() {
		Pattern pattern = Pattern.compile("a", Pattern.UNICODE_CASE | Pattern.DOTALL | Pattern.MULTILINE
				| Pattern.CASE_INSENSITIVE | Pattern.COMMENTS);
		assertThat(EjsonRegExp.of(pattern)).isEqualTo(new EjsonRegExp("a", "imsu"));
		assertThat(EjsonRegExp.of(Pattern.compile("b"))).isEqualTo(new EjsonRegExp("b", ""));
	}

	@Test
	void regExpToPatternMapsFlagsBackIgnoringGlobalAndSticky() {
		Pattern pattern = new EjsonRegExp("^a.c$", "gimsuy").toPattern();
		assertThat(pattern.pattern()).isEqualTo("^a.c$");
		assertThat(pattern.flags())
			.isEqualTo(Pattern.CASE_INSENSITIVE | Pattern.MULTILINE | Pattern.DOTALL | Pattern.UNICODE_CASE);
		assertThat(pattern.matcher("x\nA\nC").find()).isTrue();
	}

	@Test
	void regExpDecodeAppliesMeteorsFlagRule() {
		assertThat(EjsonRegExp.decode("a", "sig").flags()).isEqualTo("gi");
		assertThat(EjsonRegExp.decode("a", "yumig").flags()).isEqualTo("gimuy");
		assertThat(EjsonRegExp.decode("a", "xyzzy").flags()).isEqualTo("y");
		assertThat(EjsonRegExp.decode("a", "-".repeat(50) + "gi").flags()).isEmpty();
	}

	@Test
	void javaScriptNumberFormatting() {
		assertThat(JsValues.numberToString(1.0)).isEqualTo("1");
		assertThat(JsValues.numberToString(-1.5)).isEqualTo("-1.5");
		assertThat(JsValues.numberToString(0.1 + 0.2)).isEqualTo("0.30000000000000004");
		assertThat(JsValues.numberToString(123456789012345680000.0)).isEqualTo("123456789012345680000");
		assertThat(JsValues.numberToString(1e21)).isEqualTo("1e+21");
		assertThat(JsValues.numberToString(1.5e300)).isEqualTo("1.5e+300");
		assertThat(JsValues.numberToString(0.000001)).isEqualTo("0.000001");
		assertThat(JsValues.numberToString(1.2e-7)).isEqualTo("1.2e-7");
		assertThat(JsValues.numberToString(5e-324)).isEqualTo("5e-324");
		assertThat(JsValues.numberToString(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
		assertThat(JsValues.numberToString(2.82879384806159e17)).isEqualTo("282879384806159000");
	}

	@Test
	void javaScriptNumberConversion() {
		assertThat(JsValues.toNumber(" 12 ")).isEqualTo(12.0);
		assertThat(JsValues.toNumber("")).isEqualTo(0.0);
		assertThat(JsValues.toNumber("0x10")).isEqualTo(16.0);
		assertThat(JsValues.toNumber("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(JsValues.toNumber("1d")).isNaN();
		assertThat(JsValues.toNumber("NaN")).isNaN();
		assertThat(JsValues.toNumber(true)).isEqualTo(1.0);
		assertThat(JsValues.toNumber(null)).isEqualTo(0.0);
		assertThat(JsValues.toNumber(List.of())).isEqualTo(0.0);
		assertThat(JsValues.toNumber(List.of(5))).isEqualTo(5.0);
		assertThat(JsValues.toNumber(List.of(1, 2))).isNaN();
		assertThat(JsValues.toNumber(Map.of())).isNaN();
	}

}
