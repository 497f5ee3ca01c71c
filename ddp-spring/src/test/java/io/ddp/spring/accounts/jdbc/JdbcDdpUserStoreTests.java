package io.ddp.spring.accounts.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.DdpUserStoreContractTests;
import io.ddp.spring.jdbc.NotificationListener;
import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link DdpUserStoreContractTests user store contract} for {@link JdbcDdpUserStore}
 * against a real PostgreSQL, and what two instances sharing it see.
 */
class JdbcDdpUserStoreTests extends DdpUserStoreContractTests {

	private static DataSource dataSource;

	private JdbcDdpUserStore users;

	@BeforeAll
	static void createDatabase() {
		dataSource = PostgresServer.shared().createDatabase("users");
	}

	@BeforeEach
	void emptyStore() {
		this.users = new JdbcDdpUserStore(dataSource);
		this.users.initializeSchema();
		JdbcClient.create(dataSource).sql("TRUNCATE ddp_users CASCADE").update();
	}

	@Override
	protected DdpUserStore users() {
		return this.users;
	}

	@Test
	void aUserCreatedOnOneInstanceIsFoundOnAnother() {
		JdbcDdpUserStore other = new JdbcDdpUserStore(dataSource);
		// a second instance starting runs the idempotent script again
		other.initializeSchema();
		DdpUser ann = new DdpUser("1", "ann", List.of("ann@example.com"), Map.of(), Set.of("USER"), "$2a$10$hash", NOW);
		this.users.create(ann);
		assertThat(other.findByUsername("ANN")).isEqualTo(ann);
		assertThat(other.findByEmail("ann@example.com")).isEqualTo(ann);
	}

	@Test
	void changesMadeByAnotherInstanceOrByPlainSqlReachTheListeners() throws Exception {
		DdpUser ann = new DdpUser("1", "ann", List.of("ann@example.com"), Map.of(), Set.of("USER"), "$2a$10$hash", NOW);
		this.users.create(ann);
		try (NotificationListener listener = new NotificationListener(dataSource)) {
			JdbcDdpUserStore other = new JdbcDdpUserStore(dataSource, listener);
			List<String> changed = new CopyOnWriteArrayList<>();
			// a null says that changes may have been missed: the listener also says so
			// when it starts listening
			other.onChanged((id) -> {
				if (id != null) {
					changed.add(id);
				}
			});
			other.start();
			await().until(other::isListening);
			JdbcClient sql = JdbcClient.create(dataSource);
			// neither the password nor the roles are published: nothing to announce
			sql.sql("UPDATE ddp_users SET password_hash = 'x', roles = '{ADMIN}' WHERE id = '1'").update();
			this.users.update(new DdpUser("1", "ann", List.of("ann@example.com"), Map.of("name", "Ann"), Set.of(),
					"$2a$10$other", NOW));
			await().until(() -> changed.size() == 1);
			assertThat(other.findById("1").profile()).containsEntry("name", "Ann");
			sql.sql("UPDATE ddp_users SET username = 'anne' WHERE id = '1'").update();
			sql.sql("INSERT INTO ddp_user_emails (user_id, position, address) VALUES ('1', 1, 'anne@example.com')")
				.update();
			sql.sql("DELETE FROM ddp_users WHERE id = '1'").update();
			await().until(() -> changed.size() == 4);
			assertThat(changed).containsOnly("1");
			assertThat(other.getNotificationCount()).isEqualTo(4);
			other.stop();
			assertThat(other.isListening()).isFalse();
		}
	}

}
