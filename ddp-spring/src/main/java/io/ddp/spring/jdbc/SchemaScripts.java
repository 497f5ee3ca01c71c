package io.ddp.spring.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * Runs the schema scripts of DDP's PostgreSQL tables: each in one transaction, under one
 * transaction-scoped advisory lock shared by all of them, since instances that start
 * together would otherwise race on {@code CREATE ... IF NOT EXISTS} and
 * {@code CREATE OR REPLACE TRIGGER}.
 *
 * @since 0.1.0
 */
public final class SchemaScripts {

	// One lock for every DDP schema script: they share functions
	private static final long LOCK = 0x64647073746f7265L;

	private SchemaScripts() {
	}

	/**
	 * Read a script from the classpath.
	 * @param location the classpath location, e.g.
	 * {@code io/ddp/spring/jdbc/schema-postgresql.sql}
	 * @return the script
	 * @throws IllegalStateException if it is missing or cannot be read
	 */
	public static String read(String location) {
		try (InputStream in = SchemaScripts.class.getClassLoader().getResourceAsStream(location)) {
			if (in == null) {
				throw new IllegalStateException("Missing " + location + " in the ddp-spring jar");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + location + " from the ddp-spring jar", ex);
		}
	}

	/**
	 * Run a script in one transaction under the schema lock.
	 * @param dataSource the database
	 * @param script the SQL, idempotent
	 * @param location where the script comes from, for the message of a failure
	 * @throws IllegalStateException if the script fails; nothing of it is kept
	 */
	public static void run(DataSource dataSource, String script, String location) {
		try (Connection connection = dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
				statement.execute(script);
				connection.commit();
			}
			catch (SQLException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Creating DDP's tables from " + location + " failed (" + ex.getMessage()
					+ "); check the database user's rights, or run the script yourself and set "
					+ "ddp.jdbc.initialize-schema to never", ex);
		}
	}

	/**
	 * Read a script from the classpath and run it in one transaction under the schema
	 * lock.
	 * @param dataSource the database
	 * @param location the classpath location of the script
	 * @throws IllegalStateException if it is missing or fails
	 */
	public static void run(DataSource dataSource, String location) {
		run(dataSource, read(location), location);
	}

}
