package io.ddp.spring.server;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import io.ddp.spring.jdbc.PostgresDocumentStores;
import io.ddp.spring.jdbc.testing.PostgresServer;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodCall;
import io.ddp.spring.server.method.DdpMethodInterceptor;
import io.ddp.spring.server.method.MethodCallContext;
import io.ddp.spring.server.publication.DocumentSnapshot;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A method that writes to a PostgreSQL collection, over a real socket: its write is
 * committed and visible before it is flushed, the session keeps answering meanwhile, and
 * the method's {@code result} leaves only after the flush that follows the commit (an
 * error when that flush fails), and only then is the call's outcome reported to the
 * observers (metrics, traces). The flush statement is held at a gate in front of the
 * driver.
 */
@SpringBootTest(classes = DdpFlushedResultTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "ddp.jdbc.enabled=true", "ddp.jdbc.initialize-schema=always" })
class DdpFlushedResultTests {

	private static final DataSource database = PostgresServer.shared().createDatabase("flushed_results");

	private static final AtomicBoolean holding = new AtomicBoolean();

	private static final AtomicBoolean failing = new AtomicBoolean();

	private static final Semaphore passes = new Semaphore(0);

	private static final List<String> outcomes = new CopyOnWriteArrayList<>();

	private static final List<String> interceptedResults = new CopyOnWriteArrayList<>();

	@LocalServerPort
	int port;

	@Autowired
	PostgresDocumentStores stores;

	@BeforeEach
	void flushOnceOpenly() {
		passes.drainPermits();
		outcomes.clear();
		interceptedResults.clear();
		// The first write tries the flush before relying on it
		this.stores.store("flushed").insert("first-" + System.nanoTime(), DocumentSnapshot.of(Map.of("n", 0)));
		holding.set(true);
	}

	@AfterEach
	void open() {
		holding.set(false);
		failing.set(false);
		passes.release(100);
	}

	@Test
	void theResultWaitsForTheFlushWhileTheSessionAnswers() throws Exception {
		try (RawDdpClient client = connect()) {
			client.send("{\"msg\":\"method\",\"id\":\"m1\",\"method\":\"flushed.insert\",\"params\":[\"a\"]}");
			await().until(() -> ids().contains("a"));
			client.send("{\"msg\":\"ping\",\"id\":\"p1\"}");
			assertThat(client.next((frame) -> !"updated".equals(frame.path("msg").asString())))
				.isEqualTo(RawDdpClient.json("{\"msg\":\"pong\",\"id\":\"p1\"}"));
			client.expectSilence(Duration.ofMillis(300));
			// The call is not over for the observers either
			assertThat(outcomes).isEmpty();
			// Interceptors had the result already, on the method's thread: the flusher
			// runs no application code
			assertThat(interceptedResults).singleElement()
				.asString()
				.contains("\"result\":\"a\"")
				.doesNotContain("ddp-jdbc-flush");
			passes.release();
			JsonNode result = client.next((frame) -> "result".equals(frame.path("msg").asString()));
			assertThat(result).isEqualTo(RawDdpClient.json("{\"msg\":\"result\",\"id\":\"m1\",\"result\":\"a\"}"));
			assertThat(outcomes).containsExactly("flushed.insert succeeded");
		}
	}

	@Test
	void aFailedFlushAnswersWithAnInternalError() {
		failing.set(true);
		passes.release();
		try (RawDdpClient client = connect()) {
			JsonNode result = client.call("m2", "flushed.insert", "[\"b\"]");
			assertThat(result.path("error").path("error").asInt()).isEqualTo(500);
			// The observers count what the client got, not the method's return
			// (the driver's SQLException as Spring translated it)
			assertThat(outcomes).singleElement()
				.asString()
				.startsWith("flushed.insert failed: DataAccessResourceFailureException")
				.endsWith("connection lost");
			// Interceptors heard of the replaced result before the client got the error
			assertThat(interceptedResults).hasSize(2);
			assertThat(interceptedResults.get(0)).contains("\"result\":\"b\"");
			assertThat(interceptedResults.get(1)).startsWith("replaced by ")
				.contains("\"id\":\"m2\"")
				.contains("\"error\":500");
			// Committed, whether on disk or not
			assertThat(ids()).contains("b");
			// The next flush works again
			holding.set(false);
			assertThat(client.call("m3", "flushed.insert", "[\"c\"]").path("result").asString()).isEqualTo("c");
			assertThat(outcomes).last().isEqualTo("flushed.insert succeeded");
		}
	}

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	private static List<String> ids() {
		return JdbcClient.create(database).sql("SELECT _id FROM ddp_flushed").query(String.class).list();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		DataSource dataSource() {
			return new DelegatingDataSource(database) {

				@Override
				public Connection getConnection() throws SQLException {
					Connection connection = super.getConnection();
					return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
							new Class<?>[] { Connection.class }, (proxy, method, args) -> {
								if (holding.get() && method.getName().equals("prepareStatement") && args != null
										&& String.valueOf(args[0]).contains("pg_logical_emit_message")) {
									passes.acquireUninterruptibly();
									if (failing.getAndSet(false)) {
										throw new SQLException("connection lost", "08006");
									}
								}
								try {
									return method.invoke(connection, args);
								}
								catch (InvocationTargetException ex) {
									throw ex.getCause();
								}
							});
				}

			};
		}

		@Bean
		DdpServerObserver outcomeRecorder() {
			return new DdpServerObserver() {

				@Override
				public Operation methodCall(@Nullable ClientConnection connection, String method, boolean registered) {
					return new Operation() {

						@Override
						public void succeeded() {
							outcomes.add(method + " succeeded");
						}

						@Override
						public void failed(Throwable error) {
							outcomes.add(
									method + " failed: " + error.getClass().getSimpleName() + " " + error.getMessage());
						}

					};
				}

			};
		}

		@Bean
		DdpMethodInterceptor resultRecorder() {
			return new DdpMethodInterceptor() {

				@Override
				public @Nullable String beforeCall(MethodCallContext context, DdpMethodCall call) {
					return null;
				}

				@Override
				public void afterCall(MethodCallContext context, DdpMethodCall call, String resultFrame) {
					interceptedResults.add(resultFrame + " on " + Thread.currentThread().getName());
				}

				@Override
				public CompletionStage<?> resultReplaced(MethodCallContext context, DdpMethodCall call,
						String resultFrame) {
					interceptedResults.add("replaced by " + resultFrame);
					return CompletableFuture.completedFuture(Boolean.TRUE);
				}

			};
		}

		@Bean
		FlushedWrites flushedWrites(PostgresDocumentStores stores) {
			return new FlushedWrites(stores);
		}

	}

	static class FlushedWrites {

		private final PostgresDocumentStores stores;

		FlushedWrites(PostgresDocumentStores stores) {
			this.stores = stores;
		}

		@DdpMethod("flushed.insert")
		public String insert(String id) {
			this.stores.store("flushed").insert(id, DocumentSnapshot.of(Map.of("n", 1)));
			return id;
		}

	}

}
