package io.ddp.spring.server.method.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.SchemaScripts;
import io.ddp.spring.server.method.DdpMethodCall;
import io.ddp.spring.server.method.DdpMethodInterceptor;
import io.ddp.spring.server.method.MethodCallContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Answers a method call a logged-in client resends (after reconnecting, possibly to
 * another instance) with the result of the first run, kept in PostgreSQL for a short
 * retention; a resend that arrives while the first run is still going waits for its
 * result, up to a limit.
 *
 * <p>
 * An aid, not exactly-once: a call is the same when its user, method id, name, arguments
 * and random seed are; a client counts its method ids from 1 again after a page reload,
 * so a reloaded page repeating one of its first calls with the same arguments within the
 * retention gets the earlier result. Calls without a user are not deduplicated. A run cut
 * short by an instance's crash leaves no result: the resend runs again after the wait.
 * When the database fails, the call runs (logged). When the call's writes fail to flush
 * after it returned, a resend gets the error the client got. Keep the retention short.
 *
 * <p>
 * The schema is {@value #SCHEMA_LOCATION} in this jar (for Flyway or Liquibase);
 * {@link #initializeSchema()} runs it.
 *
 * @since 0.1.0
 */
public class JdbcDdpMethodDeduplicator implements DdpMethodInterceptor {

	/**
	 * The classpath location of the schema script.
	 */
	public static final String SCHEMA_LOCATION = "io/ddp/spring/server/method/jdbc/schema-postgresql.sql";

	private static final Log logger = LogFactory.getLog(JdbcDdpMethodDeduplicator.class);

	private static final Duration POLL = Duration.ofMillis(25);

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final Duration retention;

	private final Duration wait;

	private final AtomicReference<Instant> nextPurge = new AtomicReference<>(Instant.EPOCH);

	// Rare (a flush failed): one daemon thread at most, gone when idle
	private final ThreadPoolExecutor replacements = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS,
			new LinkedBlockingQueue<>(10_000), (task) -> {
				Thread thread = new Thread(task, "ddp-method-results");
				thread.setDaemon(true);
				return thread;
			});

	/**
	 * Create a deduplicator.
	 * @param dataSource the PostgreSQL database
	 * @param retention how long a result answers resent calls
	 * @param wait how long a resent call waits for a first run still going
	 */
	public JdbcDdpMethodDeduplicator(DataSource dataSource, Duration retention, Duration wait) {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("The method result retention must be positive, was " + retention);
		}
		if (wait.isNegative()) {
			throw new IllegalArgumentException("The wait for a running method must not be negative, was " + wait);
		}
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.retention = retention;
		this.wait = wait;
	}

	/**
	 * Create the table if it is missing (idempotent).
	 */
	public void initializeSchema() {
		SchemaScripts.run(this.dataSource, SCHEMA_LOCATION);
	}

	@Override
	public @Nullable String beforeCall(MethodCallContext context, DdpMethodCall call) {
		String userId = context.userId();
		if (userId == null) {
			return null;
		}
		String fingerprint = fingerprint(call);
		try {
			purgeNow();
			long deadline = System.nanoTime() + this.wait.toNanos();
			while (true) {
				if (claim(userId, call.id(), fingerprint)) {
					return null;
				}
				List<Row> rows = this.jdbc
					.sql("SELECT result_frame, created_at < now() - make_interval(secs => ?) AS expired"
							+ " FROM ddp_method_results WHERE user_id = ? AND method_id = ? AND fingerprint = ?")
					.params(seconds(this.retention), userId, call.id(), fingerprint)
					.query((rs, row) -> new Row(rs.getString(1), rs.getBoolean(2)))
					.list();
				if (!rows.isEmpty() && rows.get(0).expired()) {
					remove(userId, call.id(), fingerprint);
				}
				else if (!rows.isEmpty() && rows.get(0).resultFrame() != null) {
					if (logger.isDebugEnabled()) {
						logger.debug("Answered a resent call of DDP method '" + call.name() + "' (id " + call.id()
								+ ") of user '" + userId + "' with the result of its first run");
					}
					return rows.get(0).resultFrame();
				}
				else if (System.nanoTime() - deadline > 0) {
					logger.info("A resent call of DDP method '" + call.name() + "' of user '" + userId
							+ "' runs again: its first run left no result within " + this.wait
							+ " (still running, or its instance stopped)");
					remove(userId, call.id(), fingerprint);
				}
				else {
					LockSupport.parkNanos(POLL.toNanos());
				}
			}
		}
		catch (DataAccessException ex) {
			logger.warn("DDP method '" + call.name() + "' runs without deduplication: the database failed ("
					+ ex.getMessage() + ")");
			return null;
		}
	}

	@Override
	public void afterCall(MethodCallContext context, DdpMethodCall call, String resultFrame) {
		String userId = context.userId();
		if (userId == null) {
			return;
		}
		store(userId, call, resultFrame);
	}

	/**
	 * Store the error the client gets instead of the stored result, so that a resend gets
	 * what the first run answered. On a thread of this deduplicator's: the caller is the
	 * thread that flushes writes for every session.
	 */
	@Override
	public CompletionStage<?> resultReplaced(MethodCallContext context, DdpMethodCall call, String resultFrame) {
		String userId = context.userId();
		if (userId == null) {
			return CompletableFuture.completedFuture(Boolean.TRUE);
		}
		try {
			return CompletableFuture.runAsync(() -> {
				try {
					store(userId, call, resultFrame);
				}
				catch (DataAccessException ex) {
					replacementLost(userId, call, ex.getMessage());
				}
			}, this.replacements);
		}
		catch (RejectedExecutionException ex) {
			replacementLost(userId, call, "10,000 such errors are waiting to be stored");
			return CompletableFuture.completedFuture(Boolean.TRUE);
		}
	}

	private void replacementLost(String userId, DdpMethodCall call, @Nullable String why) {
		logger.warn("A resend of DDP method '" + call.name() + "' (id " + call.id() + ") of user '" + userId
				+ "' within " + this.retention + " may be answered with a result whose writes failed to flush:"
				+ " storing the error the client got failed (" + why + ")");
	}

	private void store(String userId, DdpMethodCall call, String resultFrame) {
		this.jdbc
			.sql("UPDATE ddp_method_results SET result_frame = ?"
					+ " WHERE user_id = ? AND method_id = ? AND fingerprint = ?")
			.params(resultFrame, userId, call.id(), fingerprint(call))
			.update();
	}

	/**
	 * Remove the results past their retention.
	 * @return how many were removed
	 */
	public int purge() {
		return this.jdbc.sql("DELETE FROM ddp_method_results WHERE created_at < now() - make_interval(secs => ?)")
			.param(seconds(this.retention))
			.update();
	}

	private boolean claim(String userId, String methodId, String fingerprint) {
		return this.jdbc
			.sql("INSERT INTO ddp_method_results (user_id, method_id, fingerprint) VALUES (?, ?, ?)"
					+ " ON CONFLICT DO NOTHING")
			.params(userId, methodId, fingerprint)
			.update() == 1;
	}

	private void remove(String userId, String methodId, String fingerprint) {
		this.jdbc.sql("DELETE FROM ddp_method_results WHERE user_id = ? AND method_id = ? AND fingerprint = ?")
			.params(userId, methodId, fingerprint)
			.update();
	}

	private void purgeNow() {
		Instant now = Instant.now();
		Instant next = this.nextPurge.get();
		if (now.isAfter(next) && this.nextPurge.compareAndSet(next, now.plus(this.retention))) {
			purge();
		}
	}

	private static double seconds(Duration duration) {
		return duration.toNanos() / 1e9;
	}

	private static String fingerprint(DdpMethodCall call) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(call.name().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(call.params().toString().getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			String seed = call.randomSeed();
			if (seed != null) {
				digest.update(seed.getBytes(StandardCharsets.UTF_8));
			}
			return Base64.getEncoder().encodeToString(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	private record Row(@Nullable String resultFrame, boolean expired) {
	}

}
