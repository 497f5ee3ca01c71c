package io.ddp.spring.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.collection.DocumentRecord;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.collection.DuplicateDocumentException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.query.DdpQuery;
import io.ddp.spring.query.Sort;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One collection's documents in a PostgreSQL table: {@code _id text} primary key, the
 * fields as a {@code jsonb} body, a {@code bigint} version that a trigger sets from one
 * sequence on every insert and update (also those of plain SQL), and created / updated
 * timestamps. Each write is one statement, atomic on its own: an insert that fails on a
 * duplicate id, an update that compares the version it read ({@code WHERE version = ?}),
 * a delete. Made by {@link PostgresDocumentStores#store(String)}.
 * <p>
 * <b>EJSON in JSONB.</b> The body is the document's EJSON text as Meteor sends it: a date
 * is <code>{"$date": millis}</code>, binary <code>{"$binary": base64}</code>. Dates so
 * compare and sort in SQL as numbers, for example
 * {@code ((body->'createdAt'->>'$date')::bigint)}, which is also the expression of an
 * index that serves a sort on the field; binary compares only for equality. JSONB keeps
 * no key order, so documents read back list their fields in JSONB's order; strings must
 * not contain the NUL character, which JSONB refuses.
 * <p>
 * Writes run outside any transaction the caller has open only if the
 * {@link javax.sql.DataSource} gives them their own connection: subscribers see a write
 * when its statement returns, so do not write through a collection inside a transaction
 * that may roll back.
 *
 * @since 0.1.0
 */
public final class PostgresDocumentStore implements DocumentStore {

	private final String table;

	private final JdbcClient jdbc;

	private final Ejson ejson;

	private final PostgresDocumentStores stores;

	private final RowMapper<DocumentRecord> records;

	private final String select;

	PostgresDocumentStore(String table, JdbcClient jdbc, Ejson ejson, PostgresDocumentStores stores) {
		this.table = table;
		this.jdbc = jdbc;
		this.ejson = ejson;
		this.stores = stores;
		this.records = this::record;
		this.select = "SELECT _id, version, body::text AS body FROM " + quoted() + " ";
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
			.param(SqlSelector.jsonArray(ids))
			.query(this.records)
			.list();
	}

	@Override
	public Iterable<DocumentRecord> findAll() {
		return this.jdbc.sql(this.select).query(this.records).list();
	}

	/**
	 * Select with SQL what translates (see {@link SqlSelector}): an exactly translated
	 * selector without a sort, or sorted by {@code _id} only, runs entirely in the
	 * database, skip and limit included, ordered by {@code _id}; otherwise the database
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
		List<DocumentRecord> candidates = this.jdbc.sql(sql.toString())
			.params(where.parameters())
			.query(this.records)
			.list();
		return DocumentStore.select(query, candidates);
	}

	@Override
	public long count() {
		Long count = this.jdbc.sql("SELECT count(*) FROM " + quoted()).query(Long.class).single();
		return Objects.requireNonNull(count);
	}

	@Override
	public DocumentRecord insert(String id, DocumentSnapshot fields) {
		Long version = this.jdbc
			.sql("INSERT INTO " + quoted()
					+ " (_id, body) VALUES (?, ?::jsonb) ON CONFLICT (_id) DO NOTHING RETURNING version")
			.param(id)
			.param(json(fields))
			.query(Long.class)
			.optional()
			.orElse(null);
		if (version == null) {
			throw new DuplicateDocumentException(this.table, id);
		}
		return new DocumentRecord(id, version, fields);
	}

	@Override
	public @Nullable DocumentRecord replace(DocumentRecord current, DocumentSnapshot fields) {
		Long version = this.jdbc
			.sql("UPDATE " + quoted() + " SET body = ?::jsonb WHERE _id = ? AND version = ? RETURNING version")
			.param(json(fields))
			.param(current.id())
			.param(current.version())
			.query(Long.class)
			.optional()
			.orElse(null);
		return (version != null) ? new DocumentRecord(current.id(), version, fields) : null;
	}

	@Override
	public @Nullable DocumentRecord remove(String id) {
		return this.jdbc.sql("DELETE FROM " + quoted() + " WHERE _id = ? RETURNING _id, version, body::text AS body")
			.param(id)
			.query(this.records)
			.optional()
			.orElse(null);
	}

	@Override
	public Runnable listen(Listener listener) {
		return this.stores.listen(this.table, listener);
	}

	private String json(DocumentSnapshot fields) {
		return this.ejson.stringify(fields.asMap());
	}

	@SuppressWarnings("unchecked")
	private DocumentRecord record(ResultSet row, int rowNumber) throws SQLException {
		String body = Objects.requireNonNull(row.getString("body"), "body");
		Object fields = this.ejson.parse(body);
		if (!(fields instanceof Map<?, ?> map)) {
			throw new IllegalStateException(
					"The body of document '" + row.getString("_id") + "' in " + this.table + " is no JSON object");
		}
		// NullAway 0.12.3 reads the wildcard of of's parameter as a non-null type
		// argument (uber/NullAway#1126)
		@SuppressWarnings("NullAway")
		DocumentSnapshot snapshot = DocumentSnapshot.of((Map<String, @Nullable Object>) map);
		return new DocumentRecord(Objects.requireNonNull(row.getString("_id")), row.getLong("version"), snapshot);
	}

	@Override
	public String toString() {
		return "PostgresDocumentStore[" + this.table + "]";
	}

}
