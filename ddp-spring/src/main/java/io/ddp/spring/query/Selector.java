package io.ddp.spring.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.EjsonRegExp;
import org.jspecify.annotations.Nullable;

/**
 * Which documents a query selects: a tree of Meteor's (Mongo's) selector subset, parsed
 * from a JSON selector with {@link #parse(Object)} or built with {@link Criteria}.
 * <p>
 * Selectors are immutable values: equal trees are {@link Object#equals equal}, so equal
 * cursors share one live query. Values are kept in a normal form (whole numbers as
 * {@link Long}, other numbers as {@link Double}, dates as {@link java.time.Instant}, maps
 * and lists unmodifiable), and {@code $ne}, {@code $nin} and {@code $exists: false} are
 * the {@link Not} of {@code $eq}, {@code $in} and {@code $exists}, as Mongo defines them.
 * The children of {@link And}, {@link Or} and {@link Nor} made by the factories are in a
 * canonical order. Stores translate the tree, with a {@link Visitor} or by the record
 * types, to their own query language.
 * <p>
 * {@link #matches(Map)} evaluates a selector on a document's EJSON fields as Minimongo
 * does: a dotted path looks into sub-documents and, where it meets a list, into each of
 * its elements (a numeric segment also indexes the list); a list at the end of the path
 * matches when the list itself or any of its elements does (a list picked by position out
 * of a list only as a whole). Comparisons ({@code $gt}...) only match values of the
 * operand's type (see {@link Sort} for the order). Sub-document equality ignores the
 * order of keys, unlike MongoDB, as stores such as PostgreSQL's JSONB do not keep it.
 *
 * @since 0.2.0
 */
public sealed interface Selector
		permits Selector.And, Selector.Or, Selector.Nor, Selector.Not, Selector.Field, Selector.ElemMatch {

	/**
	 * The selector of every document: {@code {}}.
	 */
	Selector ALL = new And(List.of());

	/**
	 * The selector of no document, what Meteor makes of a {@code null} selector or
	 * {@code {_id: null}}.
	 */
	Selector NONE = new Or(List.of());

	/**
	 * Whether a document matches.
	 * @param <M> the map type (generic so that NullAway accepts maps of nullable and of
	 * non-null values alike)
	 * @param fields the document's fields, with its id under {@code _id} if selectors on
	 * {@code _id} are to match it
	 * @return whether it matches
	 */
	<M extends Map<String, ?>> boolean matches(M fields);

	/**
	 * Visit this selector.
	 * @param <R> the result type
	 * @param visitor the visitor
	 * @return the visitor's result
	 */
	<R> R accept(Visitor<R> visitor);

	/**
	 * Parse a Meteor selector: a map in Mongo's JSON form with EJSON values, or a string
	 * that is a document id ({@code {_id: id}}). As in Meteor, {@code null} and a
	 * selector on a falsy {@code _id} select nothing.
	 * @param selector the selector
	 * @return the selector tree
	 * @throws IllegalArgumentException if the selector uses an unknown or unsupported
	 * operator, or an operator's argument has the wrong form
	 */
	static Selector parse(@Nullable Object selector) {
		return SelectorParser.parse(selector);
	}

	/**
	 * Return a selector on the document id.
	 * @param id the id
	 * @return {@code {_id: id}}
	 */
	static Selector id(String id) {
		return new Field("_id", Operator.EQ, Objects.requireNonNull(id, "'id' must not be null"));
	}

	/**
	 * Return the conjunction of selectors, flattened, without duplicates and in a
	 * canonical order; a single selector is returned as is.
	 * @param selectors the selectors
	 * @return the selector matching what all of them match
	 */
	static Selector and(List<? extends Selector> selectors) {
		List<Selector> children = canonical(selectors, And.class);
		return (children.size() == 1) ? children.get(0) : new And(children);
	}

	/**
	 * Return the disjunction of selectors, flattened, without duplicates and in a
	 * canonical order; a single selector is returned as is.
	 * @param selectors the selectors
	 * @return the selector matching what any of them matches
	 */
	static Selector or(List<? extends Selector> selectors) {
		List<Selector> children = canonical(selectors, Or.class);
		return (children.size() == 1) ? children.get(0) : new Or(children);
	}

	/**
	 * Return the negation of a selector ({@code $not}), removing a double negation.
	 * @param selector the selector
	 * @return the selector matching what it does not match
	 */
	static Selector not(Selector selector) {
		return (selector instanceof Not not) ? not.selector() : new Not(selector);
	}

	private static List<Selector> canonical(List<? extends Selector> selectors, Class<?> flatten) {
		LinkedHashSet<Selector> children = new LinkedHashSet<>();
		for (Selector selector : selectors) {
			Objects.requireNonNull(selector, "'selectors' must not contain null");
			if (flatten == And.class && selector instanceof And and) {
				children.addAll(and.selectors());
			}
			else if (flatten == Or.class && selector instanceof Or or) {
				children.addAll(or.selectors());
			}
			else {
				children.add(selector);
			}
		}
		List<Selector> sorted = new ArrayList<>(children);
		sorted.sort(Comparator.comparing(Object::toString));
		return List.copyOf(sorted);
	}

	/**
	 * The operators of {@link Field}.
	 */
	enum Operator {

		/**
		 * Equality ({@code {path: value}} or {@code $eq}); a {@code null} operand also
		 * matches a missing field.
		 */
		EQ,

		/**
		 * {@code $gt}.
		 */
		GT,

		/**
		 * {@code $gte}.
		 */
		GTE,

		/**
		 * {@code $lt}.
		 */
		LT,

		/**
		 * {@code $lte}.
		 */
		LTE,

		/**
		 * {@code $in}: the operand is a list of values, any of which may be equal.
		 */
		IN,

		/**
		 * {@code $exists: true}; the operand is {@code true}.
		 */
		EXISTS,

		/**
		 * {@code $regex} (with {@code $options}) or a regular expression as the value: a
		 * string the expression is found in, or the same regular expression. The operand
		 * is an {@link EjsonRegExp}.
		 */
		REGEX,

		/**
		 * {@code $size}: a list of that many elements (the list itself, never a list
		 * inside it). The operand is a number.
		 */
		SIZE,

		/**
		 * {@code $mod}: a number whose JavaScript remainder ({@code %}, the sign of the
		 * dividend) by the divisor is the remainder. The operand is a list of the two
		 * numbers, divisor first.
		 */
		MOD,

		/**
		 * {@code $type}: a value of that BSON type code as Minimongo tells types: every
		 * number is 1 (double), so 16 and 18 (int, long) match nothing. A list matches 4
		 * only inside a list or when picked by position; its elements are tested. The
		 * operand is the code, a number.
		 */
		TYPE

	}

	/**
	 * A condition on the values a dotted path reaches.
	 *
	 * @param path the dotted path, for example {@code "owner.name"} or {@code "tags.0"}
	 * @param operator the operator
	 * @param value the operand, in normal form: a list for {@link Operator#IN},
	 * {@code true} for {@link Operator#EXISTS}, an {@link EjsonRegExp} for
	 * {@link Operator#REGEX}, a number for {@link Operator#SIZE}, a list of two numbers
	 * for {@link Operator#MOD}, a number for {@link Operator#TYPE}
	 */
	record Field(String path, Operator operator, @Nullable Object value) implements Selector {

		/**
		 * Create a condition, normalizing the operand.
		 * @param path the dotted path
		 * @param operator the operator
		 * @param value the operand
		 */
		public Field {
			Objects.requireNonNull(path, "'path' must not be null");
			Objects.requireNonNull(operator, "'operator' must not be null");
			if (path.isEmpty()) {
				throw new IllegalArgumentException("A selector's field path must not be empty");
			}
			if (operator == Operator.IN && !(value instanceof List<?>)) {
				throw new IllegalArgumentException("$in needs an array");
			}
			if (operator == Operator.EQ && Regexes.isRegExp(value)) {
				// {path: /re/}, $eq, $ne and $all with a regular expression match with
				// it,
				// as in Mongo
				operator = Operator.REGEX;
			}
			if (operator == Operator.REGEX && !Regexes.isRegExp(value)) {
				throw new IllegalArgumentException("$regex has to be a string or RegExp");
			}
			if (operator == Operator.SIZE && !(value instanceof Number)) {
				throw new IllegalArgumentException("$size needs a number");
			}
			if (operator == Operator.MOD && !(value instanceof List<?> operands && operands.size() == 2
					&& operands.get(0) instanceof Number && operands.get(1) instanceof Number)) {
				throw new IllegalArgumentException("argument to $mod must be an array of two numbers");
			}
			if (operator == Operator.TYPE && !(value instanceof Number)) {
				throw new IllegalArgumentException("$type needs a type code");
			}
			value = switch (operator) {
				case EXISTS -> Boolean.TRUE;
				case REGEX -> Regexes.normalize(Objects.requireNonNull(value));
				default -> Values.normalize(value);
			};
			if (operator != Operator.REGEX && operator != Operator.IN && Regexes.isRegExp(value)) {
				throw new IllegalArgumentException("Operator " + operator + " does not take a regular expression");
			}
			if (operator == Operator.IN) {
				List<@Nullable Object> options = new ArrayList<>();
				for (Object option : (List<?>) Objects.requireNonNull(value)) {
					options.add(Regexes.isRegExp(option) ? Regexes.normalize(Objects.requireNonNull(option)) : option);
				}
				value = Collections.unmodifiableList(options);
			}
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			List<@Nullable Object> branches = new ArrayList<>(1);
			Values.lookup(fields, Values.split(this.path), 0, branches);
			for (Object branch : branches) {
				if (matchesBranch(branch)) {
					return true;
				}
			}
			return false;
		}

		private boolean matchesBranch(@Nullable Object branch) {
			if (this.operator == Operator.EXISTS) {
				return branch != Values.MISSING;
			}
			if (branch instanceof Values.Whole whole) {
				return matchesValue(whole.list());
			}
			// $type tests a list's elements, not the list (Minimongo's
			// dontIncludeLeafArrays)
			if (!(this.operator == Operator.TYPE && branch instanceof List<?>) && matchesValue(branch)) {
				return true;
			}
			// $size counts the list, never a list inside it
			if (this.operator != Operator.SIZE && branch instanceof List<?> list) {
				for (Object element : list) {
					if (matchesValue(element)) {
						return true;
					}
				}
			}
			return false;
		}

		/**
		 * Whether one value matches, not looking into it when it is a list: what
		 * {@code $elemMatch} asks of each element.
		 */
		boolean matchesValue(@Nullable Object candidate) {
			return switch (this.operator) {
				case EQ, REGEX -> equal(candidate, this.value);
				case IN -> {
					for (Object option : (List<?>) Objects.requireNonNull(this.value)) {
						if (equal(candidate, option)) {
							yield true;
						}
					}
					yield false;
				}
				case GT, GTE, LT, LTE -> compares(candidate);
				case EXISTS -> candidate != Values.MISSING;
				case SIZE -> candidate instanceof List<?> list
						&& ((Number) Objects.requireNonNull(this.value)).doubleValue() == list.size();
				case MOD -> remainderMatches(candidate);
				case TYPE -> candidate != Values.MISSING
						&& Values.typeCode(candidate) == ((Number) Objects.requireNonNull(this.value)).doubleValue();
			};
		}

		private boolean remainderMatches(@Nullable Object candidate) {
			Object number = Values.decode(candidate);
			if (!(number instanceof Number dividend)) {
				return false;
			}
			List<?> operands = (List<?>) Objects.requireNonNull(this.value);
			double divisor = ((Number) operands.get(0)).doubleValue();
			// Java's % on doubles is JavaScript's: IEEE remainder with the dividend's
			// sign
			return dividend.doubleValue() % divisor == ((Number) operands.get(1)).doubleValue();
		}

		private static boolean equal(@Nullable Object candidate, @Nullable Object operand) {
			if (operand instanceof EjsonRegExp regExp) {
				return Regexes.matches(regExp, candidate);
			}
			if (operand == null) {
				return candidate == null || candidate == Values.MISSING;
			}
			return Values.equal(candidate, operand);
		}

		private boolean compares(@Nullable Object candidate) {
			if (this.value instanceof List<?> || candidate == Values.MISSING && this.value != null) {
				return false;
			}
			Object comparable = (candidate == Values.MISSING) ? null : Values.decode(candidate);
			if (Values.typeRank(comparable) != Values.typeRank(this.value)) {
				return false;
			}
			int result = Values.compare(comparable, this.value);
			return switch (this.operator) {
				case GT -> result > 0;
				case GTE -> result >= 0;
				case LT -> result < 0;
				default -> result <= 0;
			};
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitField(this);
		}

	}

	/**
	 * Documents that match every selector ({@code $and}, and the fields of one selector
	 * object); with none, every document.
	 *
	 * @param selectors the selectors
	 */
	record And(List<Selector> selectors) implements Selector {

		/**
		 * Create a conjunction.
		 * @param selectors the selectors
		 */
		public And {
			selectors = List.copyOf(selectors);
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			for (Selector selector : this.selectors) {
				if (!selector.matches(fields)) {
					return false;
				}
			}
			return true;
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitAnd(this);
		}

	}

	/**
	 * Documents that match any selector ({@code $or}); with none, no document.
	 *
	 * @param selectors the selectors
	 */
	record Or(List<Selector> selectors) implements Selector {

		/**
		 * Create a disjunction.
		 * @param selectors the selectors
		 */
		public Or {
			selectors = List.copyOf(selectors);
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			for (Selector selector : this.selectors) {
				if (selector.matches(fields)) {
					return true;
				}
			}
			return false;
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitOr(this);
		}

	}

	/**
	 * Documents that match none of the selectors ({@code $nor}).
	 *
	 * @param selectors the selectors
	 */
	record Nor(List<Selector> selectors) implements Selector {

		/**
		 * Create a negated disjunction.
		 * @param selectors the selectors
		 */
		public Nor {
			selectors = List.copyOf(selectors);
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			for (Selector selector : this.selectors) {
				if (selector.matches(fields)) {
					return false;
				}
			}
			return true;
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitNor(this);
		}

	}

	/**
	 * Documents that do not match a selector: {@code $not}, {@code $ne}, {@code $nin},
	 * {@code $exists: false}. A document without the field matches the negation of a
	 * condition on it.
	 *
	 * @param selector the negated selector
	 */
	record Not(Selector selector) implements Selector {

		/**
		 * Create a negation.
		 * @param selector the negated selector
		 */
		public Not {
			Objects.requireNonNull(selector, "'selector' must not be null");
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			return !this.selector.matches(fields);
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitNot(this);
		}

	}

	/**
	 * Documents with a list at {@code path} of which an element matches
	 * ({@code $elemMatch}). Its selector is either a document selector, matched against
	 * elements that are documents (or lists, by position), or, when {@code onValues}, a
	 * condition on the element itself, whose fields have the path {@link #ELEMENT}. As in
	 * Minimongo, a document selector stops at the first element that is neither a
	 * document nor a list, and a list inside the list is not looked into by a condition
	 * on values.
	 *
	 * @param path the dotted path of the list
	 * @param selector what an element must match
	 * @param onValues whether {@code selector} is a condition on element values
	 */
	record ElemMatch(String path, Selector selector, boolean onValues) implements Selector {

		/**
		 * The path of the conditions in a selector on element values.
		 */
		public static final String ELEMENT = "$";

		/**
		 * Create an element match.
		 * @param path the dotted path of the list
		 * @param selector what an element must match
		 * @param onValues whether {@code selector} is a condition on element values
		 */
		public ElemMatch {
			Objects.requireNonNull(path, "'path' must not be null");
			Objects.requireNonNull(selector, "'selector' must not be null");
			if (path.isEmpty()) {
				throw new IllegalArgumentException("A selector's field path must not be empty");
			}
		}

		@Override
		public <M extends Map<String, ?>> boolean matches(M fields) {
			List<@Nullable Object> branches = new ArrayList<>(1);
			Values.lookup(fields, Values.split(this.path), 0, branches);
			for (Object branch : branches) {
				List<?> list = (branch instanceof Values.Whole whole) ? whole.list()
						: (branch instanceof List<?> value) ? value : null;
				if (list != null && matchesList(list)) {
					return true;
				}
			}
			return false;
		}

		private boolean matchesList(List<?> list) {
			for (Object element : list) {
				if (this.onValues) {
					if (matchesElement(this.selector, element)) {
						return true;
					}
				}
				else if (element instanceof Map<?, ?> map) {
					if (this.selector.matches(document(map))) {
						return true;
					}
				}
				else if (element instanceof List<?> positions) {
					if (this.selector.matches(byPosition(positions))) {
						return true;
					}
				}
				else {
					return false;
				}
			}
			return false;
		}

		private static boolean matchesElement(Selector selector, @Nullable Object element) {
			if (selector instanceof Field field) {
				return field.matchesValue(element);
			}
			if (selector instanceof And and) {
				return and.selectors().stream().allMatch((child) -> matchesElement(child, element));
			}
			if (selector instanceof Or or) {
				return or.selectors().stream().anyMatch((child) -> matchesElement(child, element));
			}
			if (selector instanceof Nor nor) {
				return nor.selectors().stream().noneMatch((child) -> matchesElement(child, element));
			}
			if (selector instanceof Not not) {
				return !matchesElement(not.selector(), element);
			}
			ElemMatch nested = (ElemMatch) selector;
			return element instanceof List<?> list && nested.matchesList(list);
		}

		// Documents decoded from EJSON have string keys
		@SuppressWarnings("unchecked")
		private static Map<String, ?> document(Map<?, ?> map) {
			return (Map<String, ?>) map;
		}

		private static Map<String, @Nullable Object> byPosition(List<?> list) {
			Map<String, @Nullable Object> map = new LinkedHashMap<>();
			for (int i = 0; i < list.size(); i++) {
				map.put(Integer.toString(i), list.get(i));
			}
			return map;
		}

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.visitElemMatch(this);
		}

	}

	/**
	 * Visits a selector tree, for example to translate it to SQL.
	 *
	 * @param <R> the result type
	 */
	interface Visitor<R> {

		/**
		 * Visit a condition on a field.
		 * @param field the condition
		 * @return the result
		 */
		R visitField(Field field);

		/**
		 * Visit a conjunction.
		 * @param and the conjunction
		 * @return the result
		 */
		R visitAnd(And and);

		/**
		 * Visit a disjunction.
		 * @param or the disjunction
		 * @return the result
		 */
		R visitOr(Or or);

		/**
		 * Visit a negated disjunction.
		 * @param nor the negated disjunction
		 * @return the result
		 */
		R visitNor(Nor nor);

		/**
		 * Visit a negation.
		 * @param not the negation
		 * @return the result
		 */
		R visitNot(Not not);

		/**
		 * Visit an element match.
		 * @param elemMatch the element match
		 * @return the result
		 */
		R visitElemMatch(ElemMatch elemMatch);

	}

}
