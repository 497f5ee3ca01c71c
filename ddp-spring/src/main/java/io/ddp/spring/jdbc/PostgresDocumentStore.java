package io.ddp.spring.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.collection.DuplicateDocumentException;
import io.ddp.spring.jdbc.GroupCommit.Statement;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One collection's documents in a PostgreSQL table: {@code _id text} primary key, the
 * fields as a {@code jsonb} body (and as written, see below), a {@code bigint} version
 * that a trigger sets from one sequence on every insert and update (also those of plain
 * SQL), and created / updated timestamps. Each write is one statement, atomic on its own:
 * an insert that finds a duplicate id, an update that compares the version it read
 * ({@code WHERE version = ?}), a delete. Made by
 * {@link PostgresDocumentStores#store(String)}.
 * <p>
 * <b>EJSON in JSONB.</b> The body is the document's EJSON text as Meteor sends it: a date
 * is <code>{"$date": millis}</code>, binary <code>{"$binary": base64}</code>. Dates so
 * compare in SQL as numbers. A sorted query runs in SQL on the sort's key (see
 * {@link SqlSort}), served by the index {@link #createIndex(Sort)} makes. Strings must
 * not contain the NUL character, which JSONB refuses.
 * <p>
 * <b>Field order.</b> Documents read back list their fields in the order they were
 * written, as the in-memory store and Mongo keep them, so every instance sends a
 * document's {@code added} and {@code changed} fields in the same order as the instance
 * that wrote it. JSONB keeps no key order (it sorts keys by length, then bytes), so when
 * a written body's order differs from JSONB's (at any depth) the store also keeps the
 * text as written in an {@code ordered_body json} column, and reads that when present;
 * queries, sorts and indexes use {@code body} alone. Why not one canonical order for
 * every store: it would reorder what the in-memory store and the writing instance send
 * now, and Meteor's own (Mongo's) order is the written one. A document written by plain
 * SQL has no copy and lists its fields in JSONB's order on every instance; an update of
 * {@code body} alone drops the copy (a trigger). The copy costs storage, for bodies JSONB
 * reorders only: about 0.8 times the jsonb body (2,000 documents of 200 bytes: the table
 * with its index grew from 608 to 920 KiB); the time of inserts, updates and reads did
 * not measurably change on a loaded machine (README, "Running several instances").
 * <p>
 * <b>Transactions.</b> Writes that threads of this instance make at the same moment
 * commit together in one transaction (see
 * {@link PostgresDocumentStores#setGroupCommit(boolean)}), each with its own outcome. A
 * write made inside a Spring-managed transaction runs on that transaction's connection:
 * subscribers see a write when its statement returns, so do not write through a
 * collection inside a transaction that may roll back.
 *
 * @since 0.1.0
 */
public final class PostgresDocumentStore implements DocumentStore {

	// Serializes index creation across instances, which race on CREATE INDEX IF NOT
	// EXISTS
	private static final long INDEX_LOCK = 0x6464706964786573L;

	// The body in the order it was written: its json copy when jsonb reorders it
	private static final String BODY = "coalesce(ordered_body::text, body::text) AS body";

	// The one column a write returns
	private static final RowMapper<Long> VERSION = (row, number) -> row.getLong(1);

	private final String table;

	private final JdbcClient jdbc;

	private final Ejson ejson;

	private final PostgresDocumentStores stores;

	private final RowMapper<DocumentRecord> records;

	private final String select;

	// The write statements, made once: a write is on the hot path
	private final String insert;

	private final String replace;

	private final String remove;

	private final int recentDocuments;

	private final GroupCommit writes;

	PostgresDocumentStore(String table, JdbcClient jdbc, GroupCommit writes, Ejson ejson, PostgresDocumentStores stores,
			int recentDocuments) {
		this.table = table;
		this.jdbc = jdbc;
		this.writes = writes;
		this.ejson = ejson;
		this.stores = stores;
		this.records = this::record;
		this.select = "SELECT _id, version, " + BODY + " FROM " + quoted() + " ";
		this.insert = "INSERT INTO " + quoted()
				+ " (_id, body, ordered_body) VALUES (?, ?::jsonb, ?::json) ON CONFLICT (_id) DO NOTHING RETURNING version";
		this.replace = "UPDATE " + quoted()
				+ " SET body = ?::jsonb, ordered_body = ?::json WHERE _id = ? AND version = ? RETURNING version";
		this.remove = "DELETE FROM " + quoted() + " WHERE _id = ? RETURNING _id, version, " + BODY;
		this.recentDocuments = recentDocuments;
	}

	/**
	 * Return the table's name.
	 * @return the table
	 */
	public String table() {
		return this.table;
	}

	private String quoted() {
		return '"' + this.table + '"';
	}

	@Override
	public @Nullable DocumentRecord findById(String id) {
		return this.jdbc.sql(this.select + "WHERE _id = ?").param(id).query(this.records).optional().orElse(null);
	}

	@Override
	public List<DocumentRecord> findAllById(Collection<String> ids) {
		return this.jdbc.sql(this.select + "WHERE " + SqlSelector.IDS)
			.param(SqlSelector.textArray(ids))
			.query(this.records)
			.list();
	}

	@Override
	public Iterable<DocumentRecord> findAll() {
		return this.jdbc.sql(this.select).query(this.records).list();
	}

	/**
	 * Select with SQL what translates (see {@link SqlSelector}). An exactly translated
	 * selector runs entirely in the database, sort, skip and limit included: without a
	 * sort, or sorted by {@code _id} only, ordered by {@code _id}; otherwise ordered by
	 * the sort's key (see {@link SqlSort}), which an index made by
	 * {@link #createIndex(Sort)} serves. When a selected document has a value the key
	 * cannot place exactly, and for selectors that do not translate exactly, the database
	 * returns the documents the translatable part selects and the query's matching, sort,
	 * skip and limit run in Java over them.
	 */
	@Override
	public List<DocumentRecord> query(DdpQuery query) {
		SqlSelector.Condition where = SqlSelector.translate(query.selector());
		StringBuilder sql = new StringBuilder(this.select).append("WHERE ").append(where.sql());
		List<Sort.Order> orders = query.sort().orders();
		boolean byId = orders.isEmpty() || (orders.size() == 1 && orders.get(0).path().equals("_id"));
		if (where.exact() && byId) {
			boolean descending = !orders.isEmpty() && !orders.get(0).ascending();
			sql.append(" ORDER BY _id COLLATE \"C\"").append(descending ? " DESC" : "");
			if (query.limit() > 0) {
				sql.append(" LIMIT ").append(query.limit());
			}
			if (query.skip() > 0) {
				sql.append(" OFFSET ").append(query.skip());
			}
			return this.jdbc.sql(sql.toString()).params(where.parameters()).query(this.records).list();
		}
		if (where.exact()) {
			List<DocumentRecord> sorted = sortedInDatabase(query, where);
			if (sorted != null) {
				return sorted;
			}
		}
		List<DocumentRecord> candidates = this.jdbc.sql(sql.toString())
			.params(where.parameters())
			.query(this.records)
			.list();
		return DocumentStore.select(query, candidates);
	}

	/**
	 * Run a sorted query in the database, or return {@code null} when a selected document
	 * has no exact sort key. The key sorts NULLS FIRST, so such a document comes first;
	 * the skip is therefore applied here, not by OFFSET, which could skip past it.
	 */
	private @Nullable List<DocumentRecord> sortedInDatabase(DdpQuery query, SqlSelector.Condition where) {
		String key = SqlSort.key(query.sort());
		StringBuilder sql = new StringBuilder("SELECT _id, version, ").append(BODY)
			.append(", ")
			.append(key)
			.append(" IS NULL AS unordered FROM ")
			.append(quoted())
			.append(" WHERE ")
			.append(where.sql())
			.append(" ORDER BY ")
			.append(key)
			.append(" NULLS FIRST");
		if (query.limit() > 0) {
			sql.append(" LIMIT ").append((long) query.skip() + query.limit());
		}
		List<SortedRow> rows = this.jdbc.sql(sql.toString())
			.params(where.parameters())
			.query((row, rowNumber) -> new SortedRow(record(row, rowNumber), row.getBoolean("unordered")))
			.list();
		if (!rows.isEmpty() && rows.get(0).unordered()) {
			return null;
		}
		List<DocumentRecord> records = new ArrayList<>(Math.max(0, rows.size() - query.skip()));
		for (int i = query.skip(); i < rows.size(); i++) {
			records.add(rows.get(i).record());
		}
		return records;
	}

	/**
	 * Create, where missing, the index that serves queries with a given sort (whatever
	 * their selector): an expression index on the sort's key (see {@link SqlSort}), named
	 * after the table and a hash of the sort. Idempotent and safe when several instances
	 * create it at once (they take turns on an advisory lock). The build locks writes to
	 * the table while it reads it; on a large table create it with
	 * {@link #indexStatement(Sort)} in a migration, {@code CONCURRENTLY} if writes must
	 * go on. PostgreSQL refuses index entries over about 2,700 bytes, so index sorts on
	 * short values (dates, numbers, titles). An index of the same sort on the key of
	 * earlier snapshots (which ignored the written key order) is dropped.
	 * @param sort the sort, not unsorted
	 */
	@Override
	public void createIndex(Sort sort) {
		if (sort.isUnsorted()) {
			throw new IllegalArgumentException("An index needs a sort key");
		}
		String statement = indexStatement(sort);
		if (statement.contains("$ddp_index$")) {
			throw new IllegalArgumentException("A sort path must not contain '$ddp_index$'");
		}
		// An index of the sort's older key (before ordered_body) serves no query and
		// costs every write: it goes
		this.jdbc
			.sql("DO $ddp_index$ BEGIN PERFORM pg_advisory_xact_lock(" + INDEX_LOCK + "); DROP INDEX IF EXISTS "
					+ SqlSort.supersededIndexName(this.table, sort) + "; " + statement + "; END $ddp_index$")
			.update();
	}

	/**
	 * Return the statement {@link #createIndex(Sort)} runs, for a migration (Flyway,
	 * Liquibase).
	 * @param sort the sort, not unsorted
	 * @return the {@code CREATE INDEX IF NOT EXISTS} statement
	 */
	public String indexStatement(Sort sort) {
		return SqlSort.indexStatement(this.table, sort);
	}

	@Override
	public long count() {
		Long count = this.jdbc.sql("SELECT count(*) FROM " + quoted()).query(Long.class).single();
		return Objects.requireNonNull(count);
	}

	@Override
	public DocumentRecord insert(String id, DocumentSnapshot fields) {
		String json = json(fields);
		Long version = this.writes.write(this.table, id,
				new Statement<>(this.insert, List.of(id, json, orderedBody(json)), VERSION));
		if (version == null) {
			throw new DuplicateDocumentException(this.table, id);
		}
		return new DocumentRecord(id, version, fields);
	}

	@Override
	public @Nullable DocumentRecord replace(DocumentRecord current, DocumentSnapshot fields) {
		String json = json(fields);
		Long version = this.writes.write(this.table, current.id(), new Statement<>(this.replace,
				List.of(json, orderedBody(json), current.id(), current.version()), VERSION));
		return (version != null) ? new DocumentRecord(current.id(), version, fields) : null;
	}

	@Override
	public @Nullable DocumentRecord remove(String id) {
		return this.writes.write(this.table, id, new Statement<>(this.remove, List.of(id), this.records));
	}

	/**
	 * Return how many documents' versions a collection over this store keeps to update
	 * from, as {@link PostgresDocumentStores#setRecentDocuments(int)} set it.
	 */
	@Override
	public int recentDocuments() {
		return this.recentDocuments;
	}

	@Override
	public Runnable listen(Listener listener) {
		return this.stores.listen(this.table, listener);
	}

	/**
	 * Return whether the listening connection listens to this collection's channel now,
	 * so that writes other instances make from now on arrive: {@code false} until
	 * something observes the collection, then as long as the connection is up.
	 * @return whether it listens
	 */
	public boolean isListening() {
		return this.stores.isListening(this.table);
	}

	private String json(DocumentSnapshot fields) {
		return this.ejson.stringify(fields.asMap());
	}

	// A typed null: Spring would otherwise ask the driver for the parameter's type
	private static SqlParameterValue orderedBody(String json) {
		return new SqlParameterValue(Types.VARCHAR, JsonbKeyOrder.isJsonbOrder(json) ? null : json);
	}

	private DocumentRecord record(ResultSet row, int rowNumber) throws SQLException {
		String body = Objects.requireNonNull(row.getString("body"), "body");
		return record(this.table, Objects.requireNonNull(row.getString("_id")), row.getLong("version"),
				this.ejson.parse(body));
	}

	/**
	 * A document read from a table (a row, or a notification that carries the body).
	 * @param fields the body, EJSON decoded
	 */
	@SuppressWarnings("unchecked")
	static DocumentRecord record(String table, String id, long version, @Nullable Object fields) {
		if (!(fields instanceof Map<?, ?> map)) {
			throw new IllegalStateException("The body of document '" + id + "' in " + table + " is no JSON object");
		}
		// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type
		// argument (uber/NullAway#1126)
		@SuppressWarnings("NullAway")
		DocumentSnapshot snapshot = DocumentSnapshot.of((Map<String, @Nullable Object>) map);
		return new DocumentRecord(id, version, snapshot);
	}

	private record SortedRow(DocumentRecord record, boolean unordered) {
	}

	@Override
	public String toString() {
		return "PostgresDocumentStore[" + this.table + "]";
	}

}
