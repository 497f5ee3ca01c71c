package io.ddp.spring.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

import io.ddp.spring.query.Sort;

/**
 * Translates a {@link Sort} to the SQL expression of its order: one call of the function
 * {@code ddp_sort_key(body, _id, ordered_body IS NULL, paths, ascending)} (in
 * {@code collection-postgresql.sql}) that maps a document to a {@code bytea} whose byte
 * order is the sort's order, ties by {@code _id} included. {@code ORDER BY} that key
 * {@code NULLS FIRST} is Minimongo's order, and an expression index on the same key (see
 * {@link #indexStatement}) serves it with an index scan under the {@code LIMIT}.
 * <p>
 * <b>Why one {@code bytea} key.</b> Minimongo orders mixed types (missing and
 * {@code null}, numbers, strings, objects, lists, binary, ObjectIDs, booleans, dates),
 * compares strings by UTF-16 code unit and a list by its smallest element ascending and
 * its largest descending. No SQL type or collation orders JSON that way, but bytes can:
 * each value becomes a type byte in Minimongo's order, then an order-preserving encoding
 * (a number's IEEE double with the sign flipped, a date's milliseconds likewise, a
 * string's UTF-8 with U+E000..U+FFFF moved above the supplementary characters so that
 * bytes compare as UTF-16 code units, lists and objects as their elements' keys followed
 * by a terminator). Every value's key is prefix-free, so complementing its bytes reverses
 * its order for a descending key, and the keys of several sort keys and the id
 * concatenate into one. One immutable function then serves every sort, and one B-tree
 * column every index, with no Sort node and no extra column per key.
 * <p>
 * <b>What has no exact key.</b> The function returns {@code NULL} for a value it cannot
 * place exactly: NaN (Minimongo's order is not total with it), regular expressions,
 * custom EJSON types other than ObjectIDs, dates not written as numbers, numbers whose
 * magnitude is at least 1e308 or below 1e-300, and objects of two or more keys in a row
 * that keeps its written order in {@code ordered_body} (Minimongo compares objects key by
 * key in written order; a row without {@code ordered_body} was written in {@code jsonb}'s
 * order). The query orders {@code NULLS FIRST}, so such a document, if any matches, comes
 * first, and the store then sorts in Java instead: a window is never cut in a wrong
 * place. Two orders differ from Java's comparator only where that comparator is itself no
 * total order: an integer beyond 2^53 and a fractional number equal as doubles (Java
 * calls them equal, SQL puts the double first).
 * <p>
 * <b>Index size.</b> PostgreSQL refuses a B-tree entry over about 2,700 bytes: an index
 * on a sort makes writes of documents whose key (the sorted values and the id) is longer
 * fail, so index sorts on short values (dates, numbers, titles), not long texts.
 */
final class SqlSort {

	private SqlSort() {
	}

	/**
	 * Return the key expression of a sort, constants inlined so that an index on the same
	 * expression matches.
	 * @param sort the sort, not unsorted
	 * @return the expression
	 */
	static String key(Sort sort) {
		StringBuilder paths = new StringBuilder("ARRAY[");
		StringBuilder ascending = new StringBuilder("ARRAY[");
		List<Sort.Order> orders = sort.orders();
		for (int i = 0; i < orders.size(); i++) {
			Sort.Order order = orders.get(i);
			paths.append((i > 0) ? ", " : "").append(literal(order.path()));
			ascending.append((i > 0) ? ", " : "").append(order.ascending());
		}
		return "ddp_sort_key(body, _id, ordered_body IS NULL, " + paths + "], " + ascending + "])";
	}

	/**
	 * Return the name of the index of a sort on a table: the table, {@code _sort_} and a
	 * hash of the sort, at most 63 characters.
	 * @param table the table
	 * @param sort the sort
	 * @return the index name
	 */
	static String indexName(String table, Sort sort) {
		// "v2": the key changed with ordered_body, so an index of the older key has
		// another name (and is not used)
		return indexName(table, "v2" + sort.orders());
	}

	/**
	 * Return the name an index of a sort had before the key took {@code ordered_body}
	 * into account: such an index serves no query, yet every write still updates it.
	 * @param table the table
	 * @param sort the sort
	 * @return the index name of the older key
	 */
	static String supersededIndexName(String table, Sort sort) {
		return indexName(table, sort.orders().toString());
	}

	private static String indexName(String table, String hashed) {
		CRC32 crc = new CRC32();
		crc.update(hashed.getBytes(StandardCharsets.UTF_8));
		String prefix = (table.length() > 46) ? table.substring(0, 46) : table;
		return prefix + "_sort_" + String.format(Locale.ROOT, "%08x", crc.getValue());
	}

	/**
	 * Return the statement that creates the index of a sort where it is missing.
	 * @param table the table
	 * @param sort the sort
	 * @return the {@code CREATE INDEX IF NOT EXISTS} statement
	 */
	static String indexStatement(String table, Sort sort) {
		return "CREATE INDEX IF NOT EXISTS " + indexName(table, sort) + " ON \"" + table + "\" ((" + key(sort)
				+ ") NULLS FIRST)";
	}

	private static String literal(String path) {
		return "'" + path.replace("'", "''") + "'";
	}

}
