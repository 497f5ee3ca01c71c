package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.ddp.spring.query.Selector.Field;
import io.ddp.spring.query.Selector.Operator;
import org.jspecify.annotations.Nullable;

/**
 * A fluent builder of {@link Selector}s in the manner of Spring Data's {@code Criteria}:
 * <pre class="code">
 * Criteria.where("done").is(false).and("owner").is(userId)
 * Criteria.where("priority").gte(2).lt(5)
 * new Criteria().orOperator(Criteria.where("owner").is(userId), Criteria.where("shared").is(true))
 * </pre> Each call returns a new criteria: instances are immutable and can be shared and
 * extended. Values are EJSON values (strings, numbers, booleans, {@code null},
 * {@link java.time.Instant}s, maps, lists...). Criteria are equal when their selectors
 * are.
 *
 * @since 0.2.0
 */
public final class Criteria {

	private final List<Selector> parts;

	private final @Nullable String key;

	private final boolean negated;

	/**
	 * Create empty criteria, matching every document; start with {@link #where(String)}
	 * or add {@link #orOperator(Criteria...)}.
	 */
	public Criteria() {
		this(List.of(), null, false);
	}

	private Criteria(List<Selector> parts, @Nullable String key, boolean negated) {
		this.parts = parts;
		this.key = key;
		this.negated = negated;
	}

	/**
	 * Start criteria on a field.
	 * @param path the dotted path of the field, {@code _id} for the id
	 * @return the criteria, expecting a condition on that field
	 */
	public static Criteria where(String path) {
		return new Criteria().and(path);
	}

	/**
	 * Continue with a condition on another field, combined with AND.
	 * @param path the dotted path of the field
	 * @return the criteria, expecting a condition on that field
	 */
	public Criteria and(String path) {
		Objects.requireNonNull(path, "'path' must not be null");
		if (path.isEmpty()) {
			throw new IllegalArgumentException("A criteria's field path must not be empty");
		}
		return new Criteria(this.parts, path, false);
	}

	/**
	 * Negate the next condition ({@code $not}); a document without the field matches it.
	 * @return the criteria
	 */
	public Criteria not() {
		return new Criteria(this.parts, requireKey("not()"), !this.negated);
	}

	/**
	 * The field equals a value (for a list field: the list, or any of its elements);
	 * {@code null} also matches a missing field.
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria is(@Nullable Object value) {
		return condition(Operator.EQ, value, "is");
	}

	/**
	 * The field is not equal to a value ({@code $ne}), or is missing.
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria ne(@Nullable Object value) {
		return not().condition(Operator.EQ, value, "ne");
	}

	/**
	 * The field is greater than a value of the same type ({@code $gt}).
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria gt(Object value) {
		return condition(Operator.GT, value, "gt");
	}

	/**
	 * The field is greater than or equal to a value of the same type ({@code $gte}).
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria gte(Object value) {
		return condition(Operator.GTE, value, "gte");
	}

	/**
	 * The field is less than a value of the same type ({@code $lt}).
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria lt(Object value) {
		return condition(Operator.LT, value, "lt");
	}

	/**
	 * The field is less than or equal to a value of the same type ({@code $lte}).
	 * @param value the value
	 * @return the criteria
	 */
	public Criteria lte(Object value) {
		return condition(Operator.LTE, value, "lte");
	}

	/**
	 * The field equals one of the values ({@code $in}).
	 * @param values the values
	 * @return the criteria
	 */
	public Criteria in(@Nullable Object... values) {
		return in(Arrays.asList(values));
	}

	/**
	 * The field equals one of the values ({@code $in}).
	 * @param values the values
	 * @return the criteria
	 */
	public Criteria in(Collection<?> values) {
		return condition(Operator.IN, new ArrayList<>(values), "in");
	}

	/**
	 * The field equals none of the values ({@code $nin}), or is missing.
	 * @param values the values
	 * @return the criteria
	 */
	public Criteria nin(@Nullable Object... values) {
		return nin(Arrays.asList(values));
	}

	/**
	 * The field equals none of the values ({@code $nin}), or is missing.
	 * @param values the values
	 * @return the criteria
	 */
	public Criteria nin(Collection<?> values) {
		return not().condition(Operator.IN, new ArrayList<>(values), "nin");
	}

	/**
	 * The field exists, or does not ({@code $exists}); a field holding {@code null}
	 * exists.
	 * @param exists whether the field must exist
	 * @return the criteria
	 */
	public Criteria exists(boolean exists) {
		Criteria criteria = exists ? this : not();
		return criteria.condition(Operator.EXISTS, true, "exists");
	}

	/**
	 * The field is a string in which a JavaScript regular expression is found
	 * ({@code $regex}), or is that same regular expression.
	 * @param regex the expression's source
	 * @param options its flags: {@code i}, {@code m} or {@code g} ({@code $options})
	 * @return the criteria
	 */
	public Criteria regex(String regex, String options) {
		return condition(Operator.REGEX, Regexes.of(regex, options, true), "regex");
	}

	/**
	 * The field is a string in which a regular expression is found ({@code $regex}).
	 * @param pattern the expression; its case-insensitive, multiline and dotall flags are
	 * kept
	 * @return the criteria
	 */
	public Criteria regex(Pattern pattern) {
		return condition(Operator.REGEX, pattern, "regex");
	}

	/**
	 * The field is a list of that many elements ({@code $size}).
	 * @param size the number of elements
	 * @return the criteria
	 */
	public Criteria size(int size) {
		return condition(Operator.SIZE, size, "size");
	}

	/**
	 * The field is a number whose remainder by the divisor is the remainder
	 * ({@code $mod}, JavaScript's {@code %}: the remainder takes the dividend's sign).
	 * @param divisor the divisor
	 * @param remainder the remainder
	 * @return the criteria
	 */
	public Criteria mod(long divisor, long remainder) {
		return condition(Operator.MOD, List.of(divisor, remainder), "mod");
	}

	/**
	 * The field holds a value of a BSON type ({@code $type}), as Minimongo tells types:
	 * {@code "double"} (1) for every number, {@code "string"}, {@code "object"},
	 * {@code "array"} (a list inside a list), {@code "binData"}, {@code "objectId"},
	 * {@code "bool"}, {@code "date"}, {@code "null"}, {@code "regex"}.
	 * @param type the type's alias, as in MongoDB
	 * @return the criteria
	 * @throws IllegalArgumentException for an alias MongoDB does not have
	 */
	public Criteria type(String type) {
		return condition(Operator.TYPE, SelectorParser.typeCode(type), "type");
	}

	/**
	 * The field holds all the values, as its value or among its elements ({@code $all});
	 * with none, no document matches.
	 * @param values the values
	 * @return the criteria
	 */
	public Criteria all(@Nullable Object... values) {
		String path = requireKey("all()");
		List<Selector> parts = new ArrayList<>(values.length);
		for (Object value : values) {
			parts.add(new Field(path, Operator.EQ, value));
		}
		return withCondition(path, (values.length == 0) ? Selector.NONE : Selector.and(parts));
	}

	/**
	 * The field is a list with an element that is a document matching the criteria
	 * ({@code $elemMatch}), whose paths are relative to the element.
	 * @param element the criteria on an element
	 * @return the criteria
	 */
	public Criteria elemMatch(Criteria element) {
		String path = requireKey("elemMatch()");
		return withCondition(path, new Selector.ElemMatch(path, element.selector(), false));
	}

	/**
	 * Add the disjunction of criteria ({@code $or}).
	 * @param criteria the alternatives
	 * @return the criteria
	 */
	public Criteria orOperator(Criteria... criteria) {
		return with(Selector.or(selectors(criteria)));
	}

	/**
	 * Add the conjunction of criteria ({@code $and}), for several conditions that
	 * {@link #and(String)} cannot express, such as two {@code $or}s.
	 * @param criteria the criteria
	 * @return the criteria
	 */
	public Criteria andOperator(Criteria... criteria) {
		return with(Selector.and(selectors(criteria)));
	}

	/**
	 * Add the negated disjunction of criteria ({@code $nor}).
	 * @param criteria the criteria none of which may match
	 * @return the criteria
	 */
	public Criteria norOperator(Criteria... criteria) {
		return with(new Selector.Nor(selectors(criteria)));
	}

	private static List<Selector> selectors(Criteria... criteria) {
		List<Selector> selectors = new ArrayList<>(criteria.length);
		for (Criteria each : criteria) {
			selectors.add(each.selector());
		}
		return selectors;
	}

	/**
	 * Return the selector these criteria build.
	 * @return the selector
	 */
	public Selector selector() {
		if (this.negated) {
			throw new IllegalStateException("not() on '" + this.key + "' needs a condition after it");
		}
		return Selector.and(this.parts);
	}

	private Criteria condition(Operator operator, @Nullable Object value, String method) {
		String path = requireKey(method + "()");
		return withCondition(path, new Field(path, operator, value));
	}

	private Criteria withCondition(String path, Selector condition) {
		return new Criteria(append(this.negated ? Selector.not(condition) : condition), path, false);
	}

	private Criteria with(Selector selector) {
		if (this.negated) {
			throw new IllegalStateException("not() on '" + this.key + "' needs a field condition after it");
		}
		return new Criteria(append(selector), this.key, false);
	}

	private List<Selector> append(Selector selector) {
		List<Selector> parts = new ArrayList<>(this.parts);
		parts.add(selector);
		return List.copyOf(parts);
	}

	private String requireKey(String method) {
		if (this.key == null) {
			throw new IllegalStateException(method + " needs a field: start with Criteria.where(path) or and(path)");
		}
		return this.key;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof Criteria criteria && Objects.equals(this.key, criteria.key)
				&& this.negated == criteria.negated && selectorOf(this).equals(selectorOf(criteria)));
	}

	private static Selector selectorOf(Criteria criteria) {
		return Selector.and(criteria.parts);
	}

	@Override
	public int hashCode() {
		return selectorOf(this).hashCode();
	}

	@Override
	public String toString() {
		return "Criteria[" + selectorOf(this) + "]";
	}

}
