package io.ddp.spring.jdbc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link NotificationListener} against a real PostgreSQL.
 */
class NotificationListenerTests {

	private DataSource dataSource;

	private NotificationListener listener;

	@BeforeEach
	void start() {
		this.dataSource = PostgresServer.shared().createDatabase("notification_listener");
		this.listener = new NotificationListener(this.dataSource);
	}

	@AfterEach
	void stop() {
		this.listener.close();
	}

	@Test
	void aChannelAddedToAnOpenConnectionCountsAsListenedOnlyOnceItsListenRan() {
		this.listener.listen("first_channel", new Recorder(new CopyOnWriteArrayList<>()));
		await().until(() -> this.listener.isListening("first_channel"));
		assertThat(this.listener.isListening("second_channel")).isFalse();
		List<String> received = new CopyOnWriteArrayList<>();
		this.listener.listen("second_channel", new Recorder(received));
		// The connection is open, so the listener as a whole listens; the new channel
		// only once its LISTEN ran, which is what a caller about to write waits for.
		await().until(() -> this.listener.isListening("second_channel"));
		JdbcClient.create(this.dataSource).sql("SELECT pg_notify('second_channel', 'hello')").query().singleRow();
		await().until(() -> received.contains("hello"));
	}

	@Test
	void nothingCountsAsListenedAfterClose() {
		this.listener.listen("some_channel", new Recorder(new CopyOnWriteArrayList<>()));
		await().until(() -> this.listener.isListening("some_channel"));
		this.listener.close();
		await().until(() -> !this.listener.isListening("some_channel"));
		assertThat(this.listener.isListening()).isFalse();
	}

	private record Recorder(List<String> received) implements NotificationListener.Handler {

		@Override
		public void notified(List<String> payloads) {
			this.received.addAll(payloads);
		}

		@Override
		public void resynchronize() {
			// Nothing was missed in these tests: every notification is sent after LISTEN.
		}

	}

}
