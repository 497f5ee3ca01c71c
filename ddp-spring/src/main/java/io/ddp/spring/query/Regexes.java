package io.ddp.spring.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.ddp.spring.protocol.EjsonRegExp;
import org.jspecify.annotations.Nullable;

/**
 * Regular expressions in selectors ({@code $regex}, {@code {field: /re/}}): JavaScript
 * sources compiled once for {@link java.util.regex}, and Minimongo's rule for what they
 * match. The syntax JavaScript and Java share behaves alike; {@code $} without the
 * {@code m} flag also matches before a final line break in Java.
 * <p>
 * Threads: any; compiled patterns are cached in a concurrent map, emptied when it holds
 * {@value #MAX_CACHED} of them.
 */
final class Regexes {

	private static final int MAX_CACHED = 512;

	private static final Map<EjsonRegExp, Pattern> compiled = new ConcurrentHashMap<>();

	private Regexes() {
	}

	/**
	 * Return the regular expression of {@code $regex} with {@code $options}, as Minimongo
	 * builds it: options, when present (even empty), replace the flags of a regular
	 * expression operand, and only {@code g}, {@code i} and {@code m} are accepted.
	 */
	static EjsonRegExp of(@Nullable Object operand, @Nullable Object options, boolean hasOptions) {
		String source;
		String flags;
		if (operand instanceof String string) {
			source = string;
			flags = "";
		}
		else if (operand instanceof EjsonRegExp || operand instanceof Pattern) {
			EjsonRegExp regExp = normalize(operand);
			source = regExp.source();
			flags = regExp.flags();
		}
		else {
			throw new IllegalArgumentException("$regex has to be a string or RegExp");
		}
		if (hasOptions) {
			if (!(options instanceof String text) || !text.chars().allMatch((c) -> c == 'g' || c == 'i' || c == 'm')) {
				throw new IllegalArgumentException("Only the i, m, and g regexp options are supported");
			}
			flags = text;
		}
		return valid(new EjsonRegExp(source, flags));
	}

	/**
	 * Return the EJSON form of a regular expression value, checked to compile.
	 */
	static EjsonRegExp normalize(Object regExp) {
		return valid((regExp instanceof Pattern pattern) ? EjsonRegExp.of(pattern) : (EjsonRegExp) regExp);
	}

	static boolean isRegExp(@Nullable Object value) {
		return value instanceof EjsonRegExp || value instanceof Pattern;
	}

	private static EjsonRegExp valid(EjsonRegExp regExp) {
		pattern(regExp);
		return regExp;
	}

	/**
	 * Whether a value matches, as Minimongo's {@code regexpElementMatcher} decides: a
	 * string when the expression is found in it, a regular expression when it is the same
	 * one; nothing else.
	 */
	static boolean matches(EjsonRegExp regExp, @Nullable Object value) {
		if (value instanceof EjsonRegExp || value instanceof Pattern) {
			EjsonRegExp other = (value instanceof Pattern pattern) ? EjsonRegExp.of(pattern) : (EjsonRegExp) value;
			return regExp.source().equals(other.source()) && sameFlags(regExp.flags(), other.flags());
		}
		return value instanceof String string && pattern(regExp).matcher(string).find();
	}

	// JavaScript prints flags in one order: compare them as sets
	private static boolean sameFlags(String a, String b) {
		return a.chars().sorted().distinct().boxed().toList().equals(b.chars().sorted().distinct().boxed().toList());
	}

	private static Pattern pattern(EjsonRegExp regExp) {
		Pattern pattern = compiled.get(regExp);
		if (pattern != null) {
			return pattern;
		}
		pattern = compile(regExp);
		if (compiled.size() >= MAX_CACHED) {
			compiled.clear();
		}
		compiled.put(regExp, pattern);
		return pattern;
	}

	private static Pattern compile(EjsonRegExp regExp) {
		int flags = 0;
		for (int i = 0; i < regExp.flags().length(); i++) {
			switch (regExp.flags().charAt(i)) {
				// JavaScript folds case beyond ASCII too
				case 'i' -> flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
				case 'm' -> flags |= Pattern.MULTILINE;
				case 's' -> flags |= Pattern.DOTALL;
				default -> {
					// g and y say how JavaScript iterates matches; u is how Java reads
					// patterns anyway
				}
			}
		}
		try {
			return Pattern.compile(regExp.source(), flags);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"Invalid regular expression /" + regExp.source() + "/: " + ex.getDescription(), ex);
		}
	}

}
