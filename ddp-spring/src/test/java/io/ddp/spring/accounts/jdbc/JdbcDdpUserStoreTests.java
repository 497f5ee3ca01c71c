package io.ddp.spring.accounts.jdbc;

import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.accounts.DdpUserStore;
import io.ddp.spring.accounts.DdpUserStoreContractTests;
import io.ddp.spring.jdbc.testing.PostgresServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

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

}
