package io.ddp.spring.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PromptNotifications}, against a real PostgreSQL.
 */
class PromptNotificationsTests {

	private static DataSource dataSource;

	@BeforeAll
	static void database() {
		dataSource = PostgresServer.shared().createDatabase("prompt");
	}

	@Test
	void appliesToTheDriverOnTheClasspathAndIsUndone() throws Exception {
		try (Connection connection = dataSource.getConnection()) {
			Runnable undo = PromptNotifications.apply(connection.unwrap(PGConnection.class));
			assertThat(undo).isNotNull();
			undo.run();
		}
	}

	// Two senders notify back to back (a round trip each, well under 1 ms apart), as a
	// busy instance does. The driver alone keeps reading while the next notification
	// comes within 1 ms, so most calls would return only after the senders stop; made
	// prompt, every call returns what had arrived by then.
	@Test
	void notificationsAreHandedOverWhileMoreKeepArriving() throws Exception {
		AtomicBoolean sending = new AtomicBoolean(true);
		List<Thread> senders = new ArrayList<>();
		try (Connection listening = dataSource.getConnection(); Statement statement = listening.createStatement()) {
			statement.execute("LISTEN prompt_test");
			PGConnection pg = listening.unwrap(PGConnection.class);
			Runnable undo = PromptNotifications.apply(pg);
			assertThat(undo).isNotNull();
			for (int i = 0; i < 2; i++) {
				Thread sender = new Thread(() -> send(sending), "notify-sender-" + i);
				sender.start();
				senders.add(sender);
			}
			int calls = 0;
			int received = 0;
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
			while (System.nanoTime() < end) {
				PGNotification[] notifications = pg.getNotifications(500);
				calls++;
				if (notifications != null) {
					received += notifications.length;
				}
			}
			sending.set(false);
			for (Thread sender : senders) {
				sender.join();
			}
			undo.run();
			// Each call returned at once with what had come: a few notifications a call
			// here, about a thousand without it
			assertThat(received).isGreaterThan(200);
			assertThat(calls).isGreaterThan(received / 50);
		}
	}

	private static void send(AtomicBoolean sending) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			while (sending.get()) {
				statement.execute("NOTIFY prompt_test, 'x'");
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
