package io.ddp.spring.query;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.ddp.spring.protocol.EjsonRegExp;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Regular expressions in selectors ({@code $regex}, {@code {field: /re/}}): JavaScript
 * sources compiled once for {@link java.util.regex}, and Minimongo's rule for what they
 * match. The syntax JavaScript and Java share behaves alike; {@code $} without the
 * {@code m} flag also matches before a final line break in Java.
 * <p>
 * A search that reads more than {@value #MAX_STEPS} characters (a pattern that backtracks
 * without end, such as {@code (a+)+$} on a long run of {@code a}s) gives up: the value
 * does not match, and a warning names the pattern once. A pattern from a client must not
 * hold a thread.
 * <p>
 * Threads: any; compiled patterns are cached in a concurrent map, emptied when it holds
 * {@value #MAX_CACHED} of them.
 */
final class Regexes {

	private static final Log logger = LogFactory.getLog(Regexes.class);

	private static final int MAX_CACHED = 512;

	// About 10 to 50 ms of matching
	private static final long MAX_STEPS = 10_000_000;

	private static final Map<EjsonRegExp, Compiled> compiled = new ConcurrentHashMap<>();

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
		compiled(regExp);
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
		if (!(value instanceof String string)) {
			return false;
		}
		Compiled pattern = compiled(regExp);
		try {
			return pattern.pattern.matcher(new BoundedChars(string)).find();
		}
		catch (TooManySteps ex) {
			gaveUp(regExp, pattern, string, "after " + MAX_STEPS + " steps (a pattern that backtracks without end?)");
			return false;
		}
		catch (StackOverflowError ex) {
			// java.util.regex recurses once per repetition of a group with alternatives
			gaveUp(regExp, pattern, string, "when it ran out of stack (a repeated group with alternatives?)");
			return false;
		}
	}

	private static void gaveUp(EjsonRegExp regExp, Compiled pattern, String string, String how) {
		if (pattern.reported.compareAndSet(false, true)) {
			logger.warn("Regular expression /" + regExp.source() + "/" + regExp.flags() + " gave up on a string of "
					+ string.length() + " chars " + how + ": such strings do not match it");
		}
	}

	// JavaScript prints flags in one order: compare them as sets
	private static boolean sameFlags(String a, String b) {
		return a.chars().sorted().distinct().boxed().toList().equals(b.chars().sorted().distinct().boxed().toList());
	}

	private static Compiled compiled(EjsonRegExp regExp) {
		Compiled pattern = compiled.get(regExp);
		if (pattern != null) {
			return pattern;
		}
		pattern = new Compiled(compile(regExp), new AtomicBoolean());
		if (compiled.size() >= MAX_CACHED) {
			compiled.clear();
		}
		compiled.put(regExp, pattern);
		return pattern;
	}

	private record Compiled(Pattern pattern, AtomicBoolean reported) {
	}

	private static final class TooManySteps extends RuntimeException {

		TooManySteps() {
			super(null, null, false, false);
		}

	}

	// A string whose reads are counted: java.util.regex has no time limit of its own
	private static final class BoundedChars implements CharSequence {

		private final String text;

		private long steps;

		BoundedChars(String text) {
			this.text = text;
		}

		@Override
		public char charAt(int index) {
			if (++this.steps > MAX_STEPS) {
				throw new TooManySteps();
			}
			return this.text.charAt(index);
		}

		@Override
		public int length() {
			return this.text.length();
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return this.text.subSequence(start, end);
		}

		@Override
		public String toString() {
			return this.text;
		}

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
