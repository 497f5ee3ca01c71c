package io.ddp.sample.postgres;

import java.util.ArrayList;
import java.util.List;

import io.ddp.sample.SampleApplication;
import org.postgresql.ds.PGSimpleDataSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sample application instances with the {@code postgres} profile, on one database.
 */
final class SampleInstances implements AutoCloseable {

	private final String url;

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	SampleInstances(PGSimpleDataSource database) {
		this.url = database.getUrl();
	}

	ConfigurableApplicationContext start(int port) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.profiles("postgres")
			.run("--server.port=" + port, "--spring.datasource.url=" + this.url,
					"--spring.datasource.username=postgres", "--ddp.client.connections.remote.lazy=true",
					"--ddp.client.connections.remote.url=ws://127.0.0.1:" + port + "/websocket",
					"--spring.datasource.hikari.maximum-pool-size=4",
					"--spring.datasource.hikari.connection-timeout=3000");
		this.contexts.add(context);
		return context;
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
