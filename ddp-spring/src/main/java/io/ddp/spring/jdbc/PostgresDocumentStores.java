package io.ddp.spring.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.ddp.spring.collection.DdpCollection;
import io.ddp.spring.collection.DocumentStore;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps {@link DdpCollection}s in PostgreSQL (14 or later), one table per collection, and
 * follows the changes that other instances and plain SQL make to those tables over the
 * instance's one listening connection ({@link NotificationListener}, shared with the
 * login tokens): <pre class="code">
 * PostgresDocumentStores stores = new PostgresDocumentStores(dataSource, ejson);
 * DdpCollection&lt;Task&gt; tasks = new DdpCollection&lt;&gt;("tasks", Task.class, ejson, stores.store("tasks"));
 * </pre>
 * <p>
 * <b>Schema.</b> The table of collection {@code tasks} is {@code ddp_tasks} (see
 * {@link #tableName(String)}), created with its triggers when the store is made unless
 * {@link #setInitializeSchema(boolean)} turns that off. The same SQL is in the jar,
 * {@code io/ddp/spring/jdbc/schema-postgresql.sql} once and
 * {@code io/ddp/spring/jdbc/collection-postgresql.sql} per table, for Flyway or
 * Liquibase. A live query sorted on a field is served from the index that
 * {@link DdpCollection#createIndex} creates on the sort's key (or
 * {@link PostgresDocumentStore#indexStatement} gives for a migration).
 * <p>
 * <b>Change capture.</b> Triggers number every write from one sequence and send
 * {@code NOTIFY} with the id, the version and the kind of write; each instance holds one
 * connection that {@code LISTEN}s (on a daemon thread) and fetches the documents of each
 * batch of notifications in one query per table. NOTIFY rather than logical decoding: it
 * works on every PostgreSQL, managed ones included, with the default {@code wal_level},
 * needs no replication slot (one that nobody consumes makes the server keep WAL until its
 * disk fills) and no replication privilege; notifications come in commit order, and a
 * lost one is covered by re-reading after a reconnect. Its limits: payloads of 8,000
 * bytes (an id that does not fit makes listeners re-read the table), and a notification
 * is sent at commit to the instances listening then.
 * <p>
 * <b>Losing the connection.</b> Live queries keep what they show; {@link #status()}
 * reports it; the listener reconnects with backoff (100 ms doubling to 5 s), then every
 * collection re-reads its live documents and sends subscribers only what differs.
 *
 * @since 0.1.0
 */
public final class PostgresDocumentStores implements AutoCloseable {

	private static final Pattern TABLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private final DataSource dataSource;

	private final Ejson ejson;

	private final JdbcClient jdbc;

	private final GroupCommit writes;

	private final NotificationListener listener;

	// Whether close() closes the listener
	private final boolean ownListener;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Set<String> initialized = ConcurrentHashMap.newKeySet();

	private final Set<Runnable> stopListening = ConcurrentHashMap.newKeySet();

	private volatile boolean initializeSchema = true;

	private volatile int recentDocuments = DocumentStore.DEFAULT_RECENT_DOCUMENTS;

	/**
	 * Create stores over a data source.
	 * @param dataSource the database; the listener keeps one of its connections
	 * @param ejson converts documents to the JSON of their bodies
	 */
	public PostgresDocumentStores(DataSource dataSource, Ejson ejson) {
		this(dataSource, ejson, new NotificationListener(dataSource), true);
	}

	/**
	 * Create stores over a data source that listen on the instance's shared listening
	 * connection.
	 * @param dataSource the database
	 * @param ejson converts documents to the JSON of their bodies
	 * @param listener the instance's listening connection, which its owner closes
	 */
	public PostgresDocumentStores(DataSource dataSource, Ejson ejson, NotificationListener listener) {
		this(dataSource, ejson, listener, false);
	}

	private PostgresDocumentStores(DataSource dataSource, Ejson ejson, NotificationListener listener,
			boolean ownListener) {
		this.dataSource = Objects.requireNonNull(dataSource, "'dataSource' must not be null");
		this.ejson = Objects.requireNonNull(ejson, "'ejson' must not be null");
		JdbcTemplate template = new JdbcTemplate(dataSource);
		this.jdbc = JdbcClient.create(template);
		this.writes = new GroupCommit(template);
		this.listener = Objects.requireNonNull(listener, "'listener' must not be null");
		this.ownListener = ownListener;
	}

	/**
	 * Set whether making a store creates its table, triggers and functions when they are
	 * missing; {@code true} by default.
	 * @param initializeSchema whether to create the schema
	 */
	public void setInitializeSchema(boolean initializeSchema) {
		this.initializeSchema = initializeSchema;
	}

	/**
	 * Set how many documents' latest versions each collection over these stores keeps in
	 * memory to update from without reading first (see
	 * {@link DocumentStore#recentDocuments()});
	 * {@value DocumentStore#DEFAULT_RECENT_DOCUMENTS} by default. Applies to stores made
	 * afterwards.
	 * @param recentDocuments how many documents per collection, {@code 0} to read before
	 * every update
	 * @throws IllegalArgumentException if it is negative
	 */
	public void setRecentDocuments(int recentDocuments) {
		if (recentDocuments < 0) {
			throw new IllegalArgumentException("'recentDocuments' must not be negative, was " + recentDocuments);
		}
		this.recentDocuments = recentDocuments;
	}

	/**
	 * Set whether the document writes that this instance's threads make at the same
	 * moment commit together in one transaction; {@code true} by default. Every write
	 * sends a notification, and PostgreSQL commits notifying transactions one at a time,
	 * each waiting for the one before to reach the disk: a group shares that wait, which
	 * keeps a busy instance's write latency down. Each write keeps its own outcome (a
	 * group with a failing statement runs again one write at a time); a writer inside a
	 * Spring-managed transaction always writes alone on that transaction's connection.
	 * Applies to all stores made by these.
	 * @param groupCommit whether to commit concurrent writes together
	 */
	public void setGroupCommit(boolean groupCommit) {
		this.writes.setEnabled(groupCommit);
	}

	/**
	 * Return whether concurrent document writes commit together.
	 * @return whether they do
	 * @see #setGroupCommit(boolean)
	 */
	public boolean isGroupCommit() {
		return this.writes.isEnabled();
	}

	/**
	 * Set whether a commit of document writes releases their notifications before
	 * PostgreSQL has flushed it to disk; {@code true} by default. The commit then runs
	 * with {@code synchronous_commit = off} for its transaction and holds PostgreSQL's
	 * notification lock only for a moment, so other instances see a write without waiting
	 * for the disk and the next writes commit meanwhile. A write made by a DDP method
	 * returns to the method at once, and the method's {@code result} and {@code updated}
	 * wait for a following flush (run on the thread {@code ddp-jdbc-flush}); any other
	 * writer waits for that flush before it returns. So no write is acknowledged before
	 * it is durable, and no method's thread waits for the disk. Other instances and
	 * readers can see a write a few milliseconds before that: if the database crashes in
	 * that moment the write is lost, its method answered with an error, and listeners
	 * re-run their queries when they reconnect. The flush is a durable commit of one
	 * {@code pg_logical_emit_message}: a role that may not call it keeps every commit
	 * durable, logged once. Applies while {@link #setGroupCommit(boolean) group commit}
	 * is on; a writer inside a Spring-managed transaction commits as that transaction
	 * does.
	 * @param notifyBeforeFlush whether to notify before the flush
	 */
	public void setNotifyBeforeFlush(boolean notifyBeforeFlush) {
		this.writes.setNotifyBeforeFlush(notifyBeforeFlush);
	}

	/**
	 * Return whether commits release their notifications before their flush.
	 * @return whether they do
	 * @see #setNotifyBeforeFlush(boolean)
	 */
	public boolean isNotifyBeforeFlush() {
		return this.writes.isNotifyBeforeFlush();
	}

	/**
	 * Return how many flushes writers waited for after commits that did not wait (see
	 * {@link #setNotifyBeforeFlush(boolean)}); concurrent writers share one.
	 * @return the flushes
	 */
	public long documentFlushes() {
		return this.writes.flushes();
	}

	/**
	 * Return how many document writes (inserts, updates, removals, including those whose
	 * compare-and-set found another version) the stores made since they were created.
	 * @return the writes
	 */
	public long documentWrites() {
		return this.writes.writes();
	}

	/**
	 * Return how many transactions committed the stores' writes since they were created:
	 * {@link #documentWrites()} divided by this is the average number of writes that
	 * shared a commit. Writes made inside a Spring-managed transaction are not counted.
	 * @return the commits
	 */
	public long documentCommits() {
		return this.writes.commits();
	}

	/**
	 * Return the size classes by which {@link #documentCommits(String)} counts commits:
	 * {@code "1"}, {@code "2-3"}, {@code "4-7"}, {@code "8-15"}, {@code "16-31"} and
	 * {@code "32"} writes (32 is the most one group commits).
	 * @return the size classes, smallest first
	 */
	public static List<String> documentGroupSizes() {
		return CommitCounts.GROUP_SIZES;
	}

	/**
	 * Return how many of the {@link #documentCommits()} committed a number of writes in a
	 * size class: how often concurrent writes shared a commit, and how many did.
	 * @param groupSize one of {@link #documentGroupSizes()}
	 * @return the commits
	 * @throws IllegalArgumentException if the size class is not one of those
	 */
	public long documentCommits(String groupSize) {
		return this.writes.commits(groupSize);
	}

	/**
	 * Return the store of a collection, in table {@link #tableName(String)}.
	 * @param collectionName the collection name
	 * @return the store
	 */
	public PostgresDocumentStore store(String collectionName) {
		return storeInTable(tableName(collectionName));
	}

	/**
	 * Return a store over a given table.
	 * @param table the table: lower case letters, digits and underscores
	 * @return the store
	 * @throws IllegalArgumentException if the table name is not of that form
	 */
	public PostgresDocumentStore storeInTable(String table) {
		if (!TABLE.matcher(table).matches()) {
			throw new IllegalArgumentException("Table name '" + table
					+ "' must be lower case letters, digits and underscores, at most 63, not starting with a digit");
		}
		if (this.initializeSchema && this.initialized.add(table)) {
			createSchema(table);
		}
		return new PostgresDocumentStore(table, this.jdbc, this.writes, this.ejson, this, this.recentDocuments);
	}

	/**
	 * Return the table of a collection: {@code ddp_} and the name in lower case, with
	 * every character other than a letter or digit as {@code _}.
	 * @param collectionName the collection name
	 * @return the table name
	 */
	public static String tableName(String collectionName) {
		String table = "ddp_" + collectionName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
		return (table.length() > 63) ? table.substring(0, 63) : table;
	}

	/**
	 * Create a table with its triggers and the shared functions, where missing.
	 * @param table the table
	 */
	public void createSchema(String table) {
		String collection = "io/ddp/spring/jdbc/collection-postgresql.sql";
		SchemaScripts.run(this.dataSource,
				SchemaScripts.read("io/ddp/spring/jdbc/schema-postgresql.sql") + "\n"
						+ SchemaScripts.read(collection).replace("ddp_tasks", table),
				collection + " (table " + table + ")");
	}

	/**
	 * Return the state of the listening connection, for health and metrics.
	 * @return the status
	 */
	public ListenerStatus status() {
		return this.listener.status();
	}

	/**
	 * Return whether the listening connection listens now (always {@code false} before
	 * the first collection listens).
	 * @return whether changes made elsewhere reach this instance now
	 */
	public boolean isListening() {
		return this.listener.status().listening();
	}

	// A collection's channel is its table's name
	boolean isListening(String table) {
		return this.listener.isListening(table);
	}

	/**
	 * Stop listening, close the listening connection if these stores opened it, and stop
	 * the thread that runs flushes (later ones run on their writers' threads).
	 */
	@Override
	public void close() {
		this.writes.close();
		this.stopListening.forEach(Runnable::run);
		if (this.ownListener) {
			this.listener.close();
		}
	}

	Runnable listen(String table, DocumentStore.Listener listener) {
		Runnable stop = this.listener.listen(table, new NotificationListener.Handler() {

			@Override
			public void notified(List<String> payloads) {
				List<DocumentStore.ChangeNotice> notices = new ArrayList<>(payloads.size());
				boolean unknown = false;
				for (String payload : payloads) {
					DocumentStore.ChangeNotice notice = notice(table, payload);
					if (notice != null) {
						notices.add(notice);
					}
					else {
						unknown = true;
					}
				}
				if (!notices.isEmpty()) {
					listener.changed(notices);
				}
				if (unknown) {
					listener.resynchronize();
				}
			}

			@Override
			public void resynchronize() {
				listener.resynchronize();
			}

		});
		this.stopListening.add(stop);
		return () -> {
			this.stopListening.remove(stop);
			stop.run();
		};
	}

	// ["<_id>", version, "i" | "u" | "d"], and the body after an insert or update when it
	// fit the payload; null when the id did not fit
	private DocumentStore.@Nullable ChangeNotice notice(String table, String payload) {
		try (JsonParser parser = this.json.createParser(payload)) {
			parser.nextToken();
			if (parser.nextToken() != JsonToken.VALUE_STRING) {
				return null;
			}
			String id = parser.getString();
			parser.nextToken();
			long version = parser.getLongValue();
			parser.nextToken();
			boolean removed = "d".equals(parser.getString());
			if (removed || parser.nextToken() != JsonToken.START_OBJECT) {
				return new DocumentStore.ChangeNotice(id, version, removed);
			}
			// The body's text, read as a row's body is
			int start = (int) parser.currentTokenLocation().getCharOffset();
			String body = payload.substring(start, payload.lastIndexOf(']'));
			return new DocumentStore.ChangeNotice(id, version, false,
					() -> PostgresDocumentStore.record(table, id, version, this.ejson.parse(body)));
		}
	}

	@Override
	public String toString() {
		return "PostgresDocumentStores" + Map.of("listening", isListening());
	}

}
