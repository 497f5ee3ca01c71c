package io.ddp.spring.protocol;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A JavaScript regular expression as EJSON carries it:
 * {@code {"$regexp":"<source>","$flags":"<flags>"}}. The source is kept as written; it
 * uses JavaScript syntax, which {@link #toPattern()} hands to {@link Pattern} unchanged.
 *
 * @param source the pattern source
 * @param flags the JavaScript flags, for example {@code "gi"}
 * @since 0.1.0
 */
public record EjsonRegExp(String source, String flags) {

	// JavaScript's RegExp.prototype.flags order, restricted to what Meteor keeps on
	// decode
	private static final String DECODED_FLAGS = "gimuy";

	private static final int MAX_FLAGS_LENGTH = 50;

	/**
	 * Create a regular expression value.
	 * @param source the pattern source
	 * @param flags the JavaScript flags
	 */
	public EjsonRegExp {
		Objects.requireNonNull(source, "'source' must not be null");
		Objects.requireNonNull(flags, "'flags' must not be null");
	}

	/**
	 * Create the EJSON form of a {@link Pattern}: {@link Pattern#CASE_INSENSITIVE}
	 * becomes {@code i}, {@link Pattern#MULTILINE} {@code m}, {@link Pattern#DOTALL}
	 * {@code s} and {@link Pattern#UNICODE_CASE} {@code u}; other flags have no
	 * JavaScript equivalent and are dropped. Note that Meteor drops {@code s} when it
	 * decodes.
	 * @param pattern the pattern
	 * @return the regular expression value
	 */
	public static EjsonRegExp of(Pattern pattern) {
		int patternFlags = pattern.flags();
		StringBuilder flags = new StringBuilder(4);
		if ((patternFlags & Pattern.CASE_INSENSITIVE) != 0) {
			flags.append('i');
		}
		if ((patternFlags & Pattern.MULTILINE) != 0) {
			flags.append('m');
		}
		if ((patternFlags & Pattern.DOTALL) != 0) {
			flags.append('s');
		}
		if ((patternFlags & Pattern.UNICODE_CASE) != 0) {
			flags.append('u');
		}
		return new EjsonRegExp(pattern.pattern(), flags.toString());
	}

	/**
	 * Compile this expression as a {@link Pattern}, mapping {@code i}, {@code m},
	 * {@code s} and {@code u} back to their Java flags; {@code g} and {@code y} describe
	 * how JavaScript iterates matches and are ignored.
	 * @return the compiled pattern
	 * @throws java.util.regex.PatternSyntaxException if the source is not a valid Java
	 * regular expression
	 */
	public Pattern toPattern() {
		int patternFlags = 0;
		for (int i = 0; i < this.flags.length(); i++) {
			switch (this.flags.charAt(i)) {
				case 'i' -> patternFlags |= Pattern.CASE_INSENSITIVE;
				case 'm' -> patternFlags |= Pattern.MULTILINE;
				case 's' -> patternFlags |= Pattern.DOTALL;
				case 'u' -> patternFlags |= Pattern.UNICODE_CASE;
				default -> {
				}
			}
		}
		return Pattern.compile(this.source, patternFlags);
	}

	/**
	 * Create the value Meteor decodes from {@code $regexp} and {@code $flags}: the flags
	 * are cut to 50 characters, filtered to {@code gimuy} and de-duplicated, and come out
	 * in the order JavaScript's {@code RegExp.prototype.flags} reports them.
	 * @param source the {@code $regexp} value
	 * @param rawFlags the {@code $flags} value
	 * @return the decoded value
	 */
	static EjsonRegExp decode(String source, String rawFlags) {
		String flags = rawFlags.substring(0, Math.min(rawFlags.length(), MAX_FLAGS_LENGTH));
		StringBuilder kept = new StringBuilder(DECODED_FLAGS.length());
		for (int i = 0; i < DECODED_FLAGS.length(); i++) {
			char flag = DECODED_FLAGS.charAt(i);
			if (flags.indexOf(flag) >= 0) {
				kept.append(flag);
			}
		}
		return new EjsonRegExp(source, kept.toString());
	}

}
