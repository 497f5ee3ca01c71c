package io.ddp.spring.jdbc;

import java.lang.reflect.Field;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * Makes the PostgreSQL JDBC driver hand over the notifications it has read without
 * waiting for more. After the first notification, {@code PGConnection.getNotifications}
 * keeps reading as long as another message arrives within 1 ms of the last: under a
 * steady stream of writes (1,000/s, one notification a millisecond) it held them for
 * 10-20 ms before returning any, and every change reached the other instances that much
 * later. The driver skips that 1 ms wait until a time kept in its stream
 * ({@code PGStream.nextStreamAvailableCheckTime}); set far ahead, the driver takes what
 * is already buffered and returns. The field is private, so it is set by reflection; when
 * that fails (another driver version), notifications still arrive, only batched by the
 * driver's own rule, and a DEBUG line says so.
 */
final class PromptNotifications {

	private static final Log logger = LogFactory.getLog(PromptNotifications.class);

	private static final @Nullable Field STREAM = field("org.postgresql.core.QueryExecutorBase", "pgStream");

	private static final @Nullable Field NEXT_CHECK = field("org.postgresql.core.PGStream",
			"nextStreamAvailableCheckTime");

	private PromptNotifications() {
	}

	/**
	 * Make a listening connection return its notifications without waiting for more.
	 * @param connection the driver's connection
	 * @return undoes it, before the connection goes back to a pool; {@code null} when the
	 * driver could not be changed
	 */
	static @Nullable Runnable apply(PGConnection connection) {
		Field stream = STREAM;
		Field nextCheck = NEXT_CHECK;
		if (stream == null || nextCheck == null || !(connection instanceof org.postgresql.core.BaseConnection base)) {
			return null;
		}
		try {
			Object pgStream = stream.get(base.getQueryExecutor());
			long before = nextCheck.getLong(pgStream);
			nextCheck.setLong(pgStream, Long.MAX_VALUE);
			return () -> {
				try {
					nextCheck.setLong(pgStream, before);
				}
				catch (IllegalAccessException ex) {
					// Was set a moment ago: cannot happen
				}
			};
		}
		catch (IllegalAccessException | IllegalArgumentException ex) {
			logger.debug("Notifications are batched by the PostgreSQL driver's own rule (up to 1 ms between two); "
					+ "could not change it: " + ex);
			return null;
		}
	}

	private static @Nullable Field field(String className, String name) {
		try {
			Field field = Class.forName(className, false, PromptNotifications.class.getClassLoader())
				.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			logger.debug("Notifications are batched by the PostgreSQL driver's own rule (up to 1 ms between two): "
					+ className + "." + name + " is not available in this driver version (" + ex + ")");
			return null;
		}
	}

}
