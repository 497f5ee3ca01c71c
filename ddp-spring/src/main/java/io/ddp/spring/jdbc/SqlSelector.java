package io.ddp.spring.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

import io.ddp.spring.query.Selector;
import org.jspecify.annotations.Nullable;

/**
 * Translates a {@link Selector} to a SQL condition on the {@code body} column, as
 * SQL/JSON path tests ({@code body @? '<jsonpath>'}, which a GIN index
 * {@code jsonb_path_ops} on {@code body} serves). The path runs in lax mode, which
 * unwraps arrays as Mongo matches them ({@code {tags: "a"}} matches
 * {@code tags: ["a", "b"]}).
 * <p>
 * Translated: {@code _id} and field equality, {@code $in}, {@code $gt}/{@code $gte}/
 * {@code $lt}/{@code $lte} on numbers and dates, {@code $exists}, and {@code $and},
 * {@code $or}, {@code $not}, {@code $nor} of those, and {@code $all} (equalities). Not
 * translated (the store filters those in Java after reading a superset): equality with
 * {@code null}, objects, arrays or binary, {@code $regex}, {@code $size},
 * {@code $elemMatch}, comparisons of strings (SQL orders strings by the database's
 * collation, Meteor by code unit), and paths with numeric parts (array positions).
 */
final class SqlSelector {

	// Ids as one text[] literal parameter (JdbcClient expands a Java array into one
	// parameter per element): = ANY of an array lets the planner see how many ids there
	// are and look a few up in the primary key, where IN over a set-returning function
	// is estimated at 100 rows and scanned the whole of a small table
	static final String IDS = "_id = ANY(?::text[])";

	private SqlSelector() {
	}

	/**
	 * Return strings as a PostgreSQL array literal: each element quoted, with its
	 * backslashes and double quotes escaped.
	 */
	static String textArray(Collection<?> strings) {
		StringBuilder array = new StringBuilder("{");
		for (Object element : strings) {
			String string = (String) element;
			array.append((array.length() > 1) ? ",\"" : "\"");
			for (int i = 0; i < string.length(); i++) {
				char c = string.charAt(i);
				if (c == '"' || c == '\\') {
					array.append('\\');
				}
				array.append(c);
			}
			array.append('"');
		}
		return array.append('}').toString();
	}

	/**
	 * Translate a selector.
	 * @return the condition, with whether it selects exactly the matching documents
	 * ({@code false}: a superset, to be filtered in Java)
	 */
	static Condition translate(Selector selector) {
		return selector.accept(new Translator());
	}

	/**
	 * A SQL condition with its parameters, and whether it is exact.
	 */
	record Condition(String sql, List<Object> parameters, boolean exact) {

		static final Condition ALL = new Condition("TRUE", List.of(), true);

		static final Condition SUPERSET = new Condition("TRUE", List.of(), false);

	}

	private static final class Translator implements Selector.Visitor<Condition> {

		@Override
		public Condition visitField(Selector.Field field) {
			if (field.path().equals("_id")) {
				return id(field);
			}
			String path = path(field.path());
			if (path == null) {
				return Condition.SUPERSET;
			}
			if (field.operator() == Selector.Operator.EXISTS) {
				return pathTest(path);
			}
			if (field.operator() == Selector.Operator.REGEX || field.operator() == Selector.Operator.SIZE
					|| field.operator() == Selector.Operator.MOD || field.operator() == Selector.Operator.TYPE) {
				// PostgreSQL's regular expressions are not JavaScript's, lax mode counts
				// a value that is not an array as an array of one, and $mod and $type
				// are rare enough to be filtered in Java
				return Condition.SUPERSET;
			}
			List<@Nullable Object> values = new ArrayList<>();
			if (field.operator() == Selector.Operator.IN) {
				values.addAll((List<?>) Objects.requireNonNull(field.value()));
			}
			else {
				values.add(field.value());
			}
			String operator = switch (field.operator()) {
				case GT -> ">";
				case GTE -> ">=";
				case LT -> "<";
				case LTE -> "<=";
				default -> "==";
			};
			List<String> tests = new ArrayList<>();
			for (Object value : values) {
				String test = test(operator, value);
				if (test == null) {
					return Condition.SUPERSET;
				}
				tests.add(test);
			}
			if (tests.isEmpty()) {
				return new Condition("FALSE", List.of(), true);
			}
			return pathTest(path + " ? (" + String.join(" || ", tests) + ")");
		}

		private static Condition id(Selector.Field field) {
			if (field.operator() == Selector.Operator.EQ && field.value() instanceof String id) {
				return new Condition("_id = ?", List.of(id), true);
			}
			if (field.operator() == Selector.Operator.IN && field.value() instanceof List<?> ids
					&& ids.stream().allMatch(String.class::isInstance)) {
				return new Condition(IDS, List.of(textArray(ids)), true);
			}
			return Condition.SUPERSET;
		}

		private static Condition pathTest(String jsonPath) {
			// pgjdbc reads ?? as the operator's ?, not a parameter
			return new Condition("body @?? ?::jsonpath", List.of(jsonPath), true);
		}

		// One test of the filter on @, or null when it does not translate exactly
		private static @Nullable String test(String operator, @Nullable Object value) {
			boolean equality = operator.equals("==");
			if (value instanceof Instant instant) {
				return "@.\"$date\" " + operator + " " + instant.toEpochMilli();
			}
			if (value instanceof Long || (value instanceof Double number && Double.isFinite(number))) {
				return "@ " + operator + " " + value;
			}
			if (equality && value instanceof String string) {
				return "@ == " + literal(string);
			}
			if (equality && value instanceof Boolean bool) {
				return "@ == " + bool;
			}
			return null;
		}

		@Override
		public Condition visitAnd(Selector.And and) {
			List<String> sql = new ArrayList<>();
			List<Object> parameters = new ArrayList<>();
			boolean exact = true;
			for (Selector selector : and.selectors()) {
				Condition condition = selector.accept(this);
				exact &= condition.exact();
				if (!condition.sql().equals("TRUE")) {
					sql.add("(" + condition.sql() + ")");
					parameters.addAll(condition.parameters());
				}
			}
			return sql.isEmpty() ? new Condition("TRUE", List.of(), exact)
					: new Condition(String.join(" AND ", sql), parameters, exact);
		}

		@Override
		public Condition visitOr(Selector.Or or) {
			if (or.selectors().isEmpty()) {
				return new Condition("FALSE", List.of(), true);
			}
			List<String> sql = new ArrayList<>();
			List<Object> parameters = new ArrayList<>();
			boolean exact = true;
			for (Selector selector : or.selectors()) {
				Condition condition = selector.accept(this);
				if (condition.sql().equals("TRUE")) {
					// A branch that lets everything through: so does the disjunction
					return new Condition("TRUE", List.of(), condition.exact() && exact);
				}
				exact &= condition.exact();
				sql.add("(" + condition.sql() + ")");
				parameters.addAll(condition.parameters());
			}
			return new Condition(String.join(" OR ", sql), parameters, exact);
		}

		@Override
		public Condition visitNor(Selector.Nor nor) {
			return not(visitOr(new Selector.Or(nor.selectors())));
		}

		@Override
		public Condition visitNot(Selector.Not not) {
			return not(not.selector().accept(this));
		}

		@Override
		public Condition visitElemMatch(Selector.ElemMatch elemMatch) {
			return Condition.SUPERSET;
		}

		// The complement of a superset is no superset: only exact conditions negate
		private static Condition not(Condition condition) {
			if (!condition.exact()) {
				return Condition.SUPERSET;
			}
			return new Condition("NOT (" + condition.sql() + ")", condition.parameters(), true);
		}

		// $."a"."b" in lax mode, or null for a path with array positions
		private static @Nullable String path(String dotted) {
			StringBuilder path = new StringBuilder("$");
			for (String part : dotted.split("\\.", -1)) {
				if (part.isEmpty() || part.chars().allMatch(Character::isDigit)) {
					return null;
				}
				path.append('.').append(literal(part));
			}
			return path.toString();
		}

		static String literal(String string) {
			StringBuilder literal = new StringBuilder("\"");
			for (char c : string.toCharArray()) {
				switch (c) {
					case '"' -> literal.append("\\\"");
					case '\\' -> literal.append("\\\\");
					default -> {
						if (c < 0x20) {
							literal.append(String.format("\\u%04x", (int) c));
						}
						else {
							literal.append(c);
						}
					}
				}
			}
			return literal.append('"').toString();
		}

	}

}
