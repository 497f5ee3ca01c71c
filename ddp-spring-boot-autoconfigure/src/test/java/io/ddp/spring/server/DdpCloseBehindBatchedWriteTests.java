package io.ddp.spring.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A close the container starts on its own while a batch of the session's frames is being
 * written (issue 11, output path): a method's {@code result} and {@code updated} leave
 * Tomcat in one batched write, and the instant the client has the {@code result} it sends
 * a text frame that is not UTF-8. Tomcat must close with 1007 and its reason every time,
 * never end the socket without a close frame because its close met the batch.
 *
 * <p>
 * Several clients do this side by side, session after session, for a bounded number of
 * sessions and at most a minute.
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpHostileInputTests.Echo.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpCloseBehindBatchedWriteTests {

	private static final String CONNECT = "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}";

	// Tomcat's reason for a text frame that is not UTF-8, cut to a close frame's 123
	// bytes.
	private static final String INVALID_UTF8_REASON = "A WebSocket text frame was received that could not be decoded";

	private static final byte[] INVALID_UTF8 = { '"', (byte) 0xC0, (byte) 0xAF, '"' };

	private static final int CLIENTS = 4;

	private static final int SESSIONS_PER_CLIENT = 250;

	private static final long WAIT_MILLIS = 15_000;

	@LocalServerPort
	int port;

	@Test
	void closeFrameFollowsABatchTheClientAnswersAtOnce() throws Exception {
		closeAfter(this.port, false);
	}

	/**
	 * Open sessions side by side, each answering a method's {@code result} (and, when
	 * asked, the {@code pong} to a ping sent then) with a frame that is not UTF-8, and
	 * assert each closes with 1007.
	 * @param port the server's port
	 * @param pingFirst whether to send a ping after the result and answer its pong
	 * @throws Exception when a session does not close as it should
	 */
	static void closeAfter(int port, boolean pingFirst) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<Integer>> runs = new ArrayList<>();
			for (int client = 0; client < CLIENTS; client++) {
				int id = client;
				Callable<Integer> run = () -> run(port, id, deadline, pingFirst);
				runs.add(clients.submit(run));
			}
			int sessions = 0;
			for (Future<Integer> run : runs) {
				sessions += run.get(2, TimeUnit.MINUTES);
			}
			// Enough sessions to have met the race on the code that lost the close frame.
			assertThat(sessions).isGreaterThanOrEqualTo(CLIENTS * 25);
		}
		finally {
			clients.shutdownNow();
		}
	}

	private static int run(int port, int client, long deadline, boolean pingFirst) throws Exception {
		int sessions = 0;
		while (sessions < SESSIONS_PER_CLIENT && System.nanoTime() < deadline) {
			String id = "c" + client + "-" + sessions;
			try (WireSocket socket = new WireSocket(port, "/websocket")) {
				socket.sendText(CONNECT);
				socket.flush();
				assertThat(socket.poll(WAIT_MILLIS)).contains("\"connected\"");
				socket.sendText(
						"{\"msg\":\"method\",\"id\":\"" + id + "\",\"method\":\"echo\",\"params\":[\"" + id + "\"]}");
				socket.flush();
				awaitAnswer(socket, "result", id);
				if (pingFirst) {
					socket.sendText("{\"msg\":\"ping\",\"id\":\"" + id + "\"}");
					socket.flush();
					awaitAnswer(socket, "pong", id);
				}
				socket.send(WireSocket.TEXT, INVALID_UTF8);
				socket.flush();
				awaitClose(socket, id);
			}
			sessions++;
		}
		return sessions;
	}

	// Wait for the answer of the given type ("result", "pong") to the given id.
	private static void awaitAnswer(WireSocket socket, String type, String id) throws InterruptedException {
		String text;
		do {
			text = socket.poll(WAIT_MILLIS);
			assertThat(text).as("the %s to %s", type, id).isNotNull();
		}
		while (!(text.contains("\"" + type + "\"") && text.contains("\"" + id + "\"")));
	}

	private static void awaitClose(WireSocket socket, String id) throws InterruptedException, IOException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
		while (!socket.isClosed() && System.nanoTime() < deadline) {
			socket.poll(50);
		}
		assertThat(socket.isClosed()).as("%s closed", id).isTrue();
		assertThat(socket.closeCode()).as("%s's close code (-1: no close frame, %s)", id, socket.ending())
			.isEqualTo(1007);
		assertThat(socket.closeReason().getBytes(StandardCharsets.UTF_8)).as("%s's close reason", id)
			.startsWith(INVALID_UTF8_REASON.getBytes(StandardCharsets.UTF_8));
	}

}
