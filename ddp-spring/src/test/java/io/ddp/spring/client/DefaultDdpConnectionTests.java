package io.ddp.spring.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Level;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the state machine of {@link DefaultDdpConnection} over a
 * {@link ScriptedTransport}: the handshake, the reset after each open, losing the link
 * and retrying, version negotiation and giving up.
 */
class DefaultDdpConnectionTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final String CONNECTED = "{\"msg\":\"connected\",\"session\":\"s1\"}";

	private final ScriptedTransport transport = new ScriptedTransport();

	private @Nullable DefaultDdpConnection connection;

	@AfterEach
	void close() {
		if (this.connection != null) {
			this.connection.close();
		}
	}

	@Test
	void framesQueuedUnderTheLockAreWrittenBeforeTheCallerReturns() {
		DefaultDdpConnection connection = connection(ReconnectPolicy.meteorDefaults());
		ScriptedTransport.Link link = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> link.sent().size() == 1);
		link.receive(CONNECTED);
		// no await: the timer's 50 ms flush would hide a missing one
		CompletableFuture<@Nullable Object> login = connection.applyAsync("login", List.of(),
				CallOptions.defaults().withWait(true), Object.class);
		assertThat(link.sent()).hasSize(2);
		connection.callAsync("next");
		assertThat(link.sent()).hasSize(2);
		link.receive("{\"msg\":\"result\",\"id\":\"1\",\"result\":1}");
		link.receive("{\"msg\":\"updated\",\"methods\":[\"1\"]}");
		assertThat(link.sent()).last().isEqualTo("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"next\",\"params\":[]}");
		await().atMost(WAIT).until(login::isDone);
	}

	@Test
	void blockedCallerIsWokenOnlyAfterTheFrameThatFinishedItReleasedTheLock() throws Exception {
		DefaultDdpConnection connection = connection(ReconnectPolicy.meteorDefaults());
		ScriptedTransport.Link link = connected();
		CountDownLatch returned = new CountDownLatch(1);
		Thread caller = new Thread(() -> {
			connection.apply("login", List.of(), CallOptions.defaults().withWait(true), Object.class);
			returned.countDown();
		});
		caller.start();
		await().atMost(WAIT).until(() -> link.sent().size() == 2);
		connection.callAsync("next");
		// The block after the login is queued under the lock, after the login finished:
		// its caller must not return while the frame's dispatch still holds the lock
		AtomicBoolean returnedUnderTheLock = new AtomicBoolean();
		link.onQueue(() -> {
			try {
				returnedUnderTheLock.set(returned.await(300, TimeUnit.MILLISECONDS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		link.receive("{\"msg\":\"updated\",\"methods\":[\"1\"]}");
		link.receive("{\"msg\":\"result\",\"id\":\"1\",\"result\":1}");
		assertThat(returned.await(5, TimeUnit.SECONDS)).as("the blocked caller returned").isTrue();
		assertThat(returnedUnderTheLock).isFalse();
		assertThat(link.sent()).last().isEqualTo("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"next\",\"params\":[]}");
		caller.join(5000);
	}

	@Test
	void callMadeBeforeTheHandshakeIsSentAfterConnectAndFinishesWithResultAndUpdated() {
		DefaultDdpConnection connection = connection(ReconnectPolicy.meteorDefaults());
		CompletableFuture<@Nullable Object> result = connection.callAsync("echo", 42);
		ScriptedTransport.Link link = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> link.sent().size() == 2);
		assertThat(link.sent()).containsExactly(
				"{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\",\"pre2\",\"pre1\"]}",
				"{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[42]}");
		link.receive(CONNECTED);
		assertThat(connection.status().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(connection.sessionId()).isEqualTo("s1");
		assertThat(connection.version()).isEqualTo("1");
		link.receive("{\"msg\":\"result\",\"id\":\"1\",\"result\":42}");
		assertThat(result).isNotDone();
		link.receive("{\"msg\":\"updated\",\"methods\":[\"1\"]}");
		await().atMost(WAIT).until(result::isDone);
		assertThat(result.join()).isEqualTo(42);
		assertThat(connection.activeCallCount()).isZero();
	}

	@Test
	void lostLinkIsReportedWithTheRetryTimeAndRetriedWithTheSameSession() {
		DefaultDdpConnection connection = connection(quickRetries());
		ScriptedTransport.Link first = connected();
		try (LogCapture log = new LogCapture(DefaultDdpConnection.class.getName(), Level.INFO)) {
			first.drop("server went away");
			DdpConnectionStatus status = connection.status();
			assertThat(status.state()).isIn(ConnectionState.WAITING, ConnectionState.CONNECTING);
			assertThat(log.messages(Level.WARN)).singleElement()
				.asString()
				.contains("'test'", "lost: server went away", "retrying in 0.0 s");
			ScriptedTransport.Link second = this.transport.nextAttempt().open();
			await().atMost(WAIT).until(() -> !second.sent().isEmpty());
			assertThat(second.sent().get(0)).contains("\"session\":\"s1\"");
			second.receive(CONNECTED);
			await().atMost(WAIT).until(() -> !log.messages(Level.INFO).isEmpty());
			assertThat(log.messages(Level.INFO)).singleElement()
				.asString()
				.contains("'test' reconnected", "session s1", "DDP version 1", "session resumed");
		}
	}

	@Test
	void sentCallIsResentOnTheNextLinkAndNoRetryCallFails() {
		DefaultDdpConnection connection = connection(quickRetries());
		ScriptedTransport.Link first = connected();
		CompletableFuture<@Nullable Object> retried = connection.callAsync("echo", 1);
		CompletableFuture<@Nullable Object> notRetried = connection.applyAsync("echo", List.of(2),
				CallOptions.defaults().withNoRetry(true), new org.springframework.core.ParameterizedTypeReference<>() {
				});
		await().atMost(WAIT).until(() -> first.sent().size() == 3);
		first.drop("gone");
		assertThat(errorOf(notRetried)).isEqualTo("invocation-failed");
		ScriptedTransport.Link second = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> second.sent().size() == 2);
		assertThat(second.sent().get(1))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"1\",\"method\":\"echo\",\"params\":[1]}");
		assertThat(retried).isNotDone();
	}

	@Test
	void subscriptionsAreResentAfterAReconnect() {
		DefaultDdpConnection connection = connection(quickRetries());
		ScriptedTransport.Link first = connected();
		DdpSubscription subscription = connection.subscribe("tasks", "open");
		assertThat(first.sent()).last()
			.asString()
			.isEqualTo(
					"{\"msg\":\"sub\",\"id\":\"" + subscription.id() + "\",\"name\":\"tasks\",\"params\":[\"open\"]}");
		first.drop("gone");
		ScriptedTransport.Link second = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> second.sent().size() == 2);
		assertThat(second.sent().get(1)).contains("\"msg\":\"sub\"", subscription.id());
	}

	@Test
	void refusedVersionIsRetriedWithTheServersVersion() {
		DefaultDdpConnection connection = connection(quickRetries());
		ScriptedTransport.Link first = this.transport.nextAttempt().open();
		first.receive("{\"msg\":\"failed\",\"version\":\"pre1\"}");
		ScriptedTransport.Link second = this.transport.nextAttempt().open();
		assertThat(first.isClosed()).isTrue();
		assertThat(second.sent().get(0)).contains("\"version\":\"pre1\"");
		second.receive(CONNECTED);
		await().atMost(WAIT).until(() -> "pre1".equals(connection.version()));
	}

	@Test
	void unsupportedVersionFailsForGood() {
		DefaultDdpConnection connection = connection(quickRetries());
		this.transport.nextAttempt().open().receive("{\"msg\":\"failed\",\"version\":\"7\"}");
		await().atMost(WAIT).until(() -> connection.status().state() == ConnectionState.FAILED);
		assertThat(connection.status().reason()).contains("server requested version 7");
	}

	@Test
	void withoutRetriesALostLinkFailsPendingCalls() {
		DefaultDdpConnection connection = connection(ReconnectPolicy.none());
		ScriptedTransport.Link link = connected();
		CompletableFuture<@Nullable Object> call = connection.callAsync("slow");
		try (LogCapture log = new LogCapture(DefaultDdpConnection.class.getName(), Level.INFO)) {
			link.drop("gone");
			assertThat(log.messages(Level.ERROR)).singleElement()
				.asString()
				.contains("failed for good", "retries are disabled", "reconnect()");
		}
		assertThat(connection.status().state()).isEqualTo(ConnectionState.FAILED);
		assertThat(errorOf(call)).isEqualTo("connection-failed");
		assertThat(connection.callAsync("later")).isCompletedExceptionally();
	}

	@Test
	void resumeTokenLogsInBeforeAnyOtherCallIsSent() {
		DdpClientOptions options = DdpClientOptions.builder(URI.create("ws://localhost/websocket"))
			.resumeToken("tok")
			.build();
		this.connection = new DefaultDdpConnection("test", options, Ejson.createDefault(),
				ClientTransports.of(this.transport));
		DefaultDdpConnection connection = this.connection;
		connection.connect();
		connection.callAsync("first");
		ScriptedTransport.Link link = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> link.sent().size() == 2);
		assertThat(link.sent().get(1))
			.isEqualTo("{\"msg\":\"method\",\"id\":\"2\",\"method\":\"login\",\"params\":[{\"resume\":\"tok\"}]}");
		link.receive(CONNECTED);
		link.receive("{\"msg\":\"result\",\"id\":\"2\",\"result\":{\"id\":\"u1\",\"token\":\"tok2\"}}");
		link.receive("{\"msg\":\"updated\",\"methods\":[\"2\"]}");
		await().atMost(WAIT).until(() -> link.sent().size() == 3);
		assertThat(link.sent().get(2)).contains("\"method\":\"first\"");
		await().atMost(WAIT).until(() -> "u1".equals(connection.userId()));
	}

	private DefaultDdpConnection connection(ReconnectPolicy retry) {
		DdpClientOptions options = DdpClientOptions.builder(URI.create("ws://localhost/websocket"))
			.retry(retry)
			.build();
		DefaultDdpConnection connection = new DefaultDdpConnection("test", options, Ejson.createDefault(),
				ClientTransports.of(this.transport));
		this.connection = connection;
		connection.connect();
		return connection;
	}

	private ScriptedTransport.Link connected() {
		ScriptedTransport.Link link = this.transport.nextAttempt().open();
		await().atMost(WAIT).until(() -> !link.sent().isEmpty());
		link.receive(CONNECTED);
		assertThat(this.connection).isNotNull();
		await().atMost(WAIT).until(() -> this.connection.status().state() == ConnectionState.CONNECTED);
		return link;
	}

	private static Object errorOf(CompletableFuture<?> future) {
		await().atMost(WAIT).until(future::isDone);
		Throwable failure = future.handle((value, ex) -> ex).join();
		assertThat(failure).isInstanceOf(DdpException.class);
		return ((DdpException) failure).getError();
	}

	private static ReconnectPolicy quickRetries() {
		return new ReconnectPolicy(true, Duration.ofMillis(10), 2, Duration.ofMillis(50), Duration.ofMillis(10), 2, 0,
				0);
	}

}
