package io.ddp.spring.jdbc.testing;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PostgresServer}.
 */
class PostgresServerTests {

	@Test
	void databasesAreSeparateAndSurviveARestart() {
		PostgresServer server = PostgresServer.shared();
		DataSource first = server.createDatabase("first");
		DataSource second = server.createDatabase("second");
		JdbcClient.create(first).sql("CREATE TABLE t (x int)").update();
		JdbcClient.create(first).sql("INSERT INTO t VALUES (1)").update();
		assertThat(JdbcClient.create(second)
			.sql("SELECT count(*) FROM information_schema.tables WHERE table_name = 't'")
			.query(Long.class)
			.single()).isZero();
		server.restart();
		assertThat(JdbcClient.create(first).sql("SELECT x FROM t").query(Integer.class).single()).isEqualTo(1);
	}

}
