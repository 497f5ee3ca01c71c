package io.ddp.spring.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Fuzzing the input path (issue 11) over real sockets: raw WebSocket, SockJS over
 * WebSocket and SockJS XHR. Frames go in pipelined bursts on few sockets; after each
 * burst a method call must be answered (the session is not wedged) or the socket must
 * have been closed with the code its last frame calls for, and a well-behaved session on
 * the side must be answered. No ERROR may be logged, and no socket closes with 1011 or
 * without a close frame.
 *
 * <p>
 * The seed is fixed ({@code -Dddp.fuzz.seed=...} to change it,
 * {@code -Dddp.fuzz.random=true} for a random one, printed);
 * {@code -Dddp.fuzz.frames=...} sets the number of frames (100,000 by default, over the
 * three transports).
 */
@SpringBootTest(classes = { CollectionTestApplication.class, DdpHostileInputTests.Echo.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpInputFuzzTests {

	private static final long SEED = Boolean.getBoolean("ddp.fuzz.random") ? System.nanoTime()
			: Long.getLong("ddp.fuzz.seed", 11L);

	private static final int FRAMES = Integer.getInteger("ddp.fuzz.frames", 100_000);

	private static final String CONNECT = "{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}";

	private static final AtomicLong SOCKJS_SESSIONS = new AtomicLong(System.nanoTime());

	private static final long WAIT_MILLIS = 20_000;

	@LocalServerPort
	int port;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private RawDdpClient bystander;

	private int markers;

	@BeforeEach
	void start() {
		System.out.println("DDP input fuzz: seed " + SEED + ", " + FRAMES + " frames");
		this.logs.start();
		root().addAppender(this.logs);
		this.bystander = RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@AfterEach
	void noErrorWasLogged() {
		this.bystander.close();
		root().detachAppender(this.logs);
		List<String> errors = this.logs.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.ERROR))
			.map((event) -> event.getFormattedMessage()
					+ ((event.getThrowableProxy() != null) ? ": " + event.getThrowableProxy().getMessage() : ""))
			.toList();
		assertThat(errors).as("ERROR lines from client input (seed %d)", SEED).isEmpty();
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Test
	void rawWebSocket() throws Exception {
		FuzzFrames frames = new FuzzFrames(SEED);
		Random random = frames.random();
		int target = FRAMES * 55 / 100;
		int sent = 0;
		WireSocket socket = null;
		while (sent < target) {
			if (socket == null) {
				socket = openRaw();
			}
			for (int i = 0; i < 400; i++, sent++) {
				if (random.nextInt(50) == 0) {
					socket.send(WireSocket.BINARY, frames.bytes());
				}
				else {
					socket.sendText(frames.message());
				}
			}
			String marker = marker();
			socket.sendText(markerCall(marker));
			socket.flush();
			awaitMarker(socket, marker);
			// Only once the answers are out (the pong of a later ping): when Tomcat
			// closes
			// for bad input while a write still waits for the peer, it ends that write
			// and its own close frame can be lost (open, README "What is not there yet").
			// A close right behind a write the socket took at once is the case of
			// DdpCloseBehindBatchedWriteTests (the marker's batched updated + result) and
			// DdpCloseBehindPongTests (the pong).
			if (random.nextInt(40) == 0) {
				awaitPong(socket, marker);
				socket.send(WireSocket.TEXT, frames.invalidUtf8());
				sent++;
				socket.flush();
				awaitClose(socket, 1007);
				socket = null;
			}
			assertBystanderServed();
		}
		if (socket != null) {
			socket.close();
		}
	}

	@Test
	void sockJsWebSocket() throws Exception {
		FuzzFrames frames = new FuzzFrames(SEED + 1);
		Random random = frames.random();
		int target = FRAMES * 35 / 100;
		int sent = 0;
		WireSocket socket = null;
		while (sent < target) {
			if (socket == null) {
				socket = openSockJs();
			}
			for (int i = 0; i < 100; i++) {
				int count = 1 + random.nextInt(5);
				List<String> messages = new ArrayList<>(count);
				for (int j = 0; j < count; j++) {
					messages.add(frames.message());
				}
				sent += count;
				if (count == 1 && random.nextBoolean()) {
					socket.sendText(RawDdpClient.JSON.writeValueAsString(messages.get(0)));
				}
				else {
					socket.sendText(RawDdpClient.JSON.writeValueAsString(messages));
				}
			}
			String marker = marker();
			socket.sendText(RawDdpClient.JSON.writeValueAsString(List.of(markerCall(marker))));
			socket.flush();
			awaitMarker(socket, marker);
			int ending = random.nextInt(40);
			if (ending < 2) {
				// Text that is not JSON; elements that are no strings are messages.
				socket.sendText("[" + ((ending == 0) ? frames.truncate("[\"{}\",\"{}\"]") : frames.value(2) + ",1"));
				sent++;
				socket.flush();
				String close = socket.poll(WAIT_MILLIS);
				while (close != null && !close.startsWith("c[")) {
					close = socket.poll(WAIT_MILLIS);
				}
				// Even when the close meets a write in progress.
				assertThat(close).as("seed %d", SEED).isEqualTo("c[3000,\"Broken framing.\"]");
				awaitClose(socket, 3000, -1);
				socket = null;
			}
			else if (ending == 2) {
				socket.send(WireSocket.TEXT, frames.invalidUtf8());
				sent++;
				socket.flush();
				// Tomcat closes with 1007, but on the SockJS endpoint its close frame is
				// sometimes lost (the socket just ends): reported on issue 11.
				awaitClose(socket, 1007, -1);
				socket = null;
			}
			assertBystanderServed();
		}
		if (socket != null) {
			socket.close();
		}
	}

	@Test
	void sockJsXhr() throws Exception {
		FuzzFrames frames = new FuzzFrames(SEED + 2);
		Random random = frames.random();
		int target = FRAMES * 10 / 100;
		String session = openXhr();
		int sent = 0;
		while (sent < target) {
			// Few enough answers for the SockJS cache of unpolled messages (as many as a
			// session's queue limit)
			List<String> messages = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				messages.add(frames.message());
			}
			sent += messages.size();
			assertThat(xhrSend(session, RawDdpClient.JSON.writeValueAsString(messages)).statusCode()).isEqualTo(204);
			if (random.nextInt(10) == 0) {
				HttpResponse<String> broken = xhrSend(session, frames.truncate("[\"{}\",\"{}\"]"));
				sent++;
				assertThat(broken.statusCode()).isEqualTo(500);
			}
			String marker = marker();
			HttpResponse<String> sentMarker = xhrSend(session,
					RawDdpClient.JSON.writeValueAsString(List.of(markerCall(marker))));
			assertThat(sentMarker.statusCode()).as("%s sent over XHR: %s", marker, sentMarker.body()).isEqualTo(204);
			long deadline = System.currentTimeMillis() + WAIT_MILLIS;
			String polled = "";
			while (!polled.contains(marker + "\\\"")) {
				assertThat(System.currentTimeMillis()).as("the answer to %s over XHR (seed %d)", marker, SEED)
					.isLessThan(deadline);
				polled = xhrPoll(session);
				// XHR polling hides why a session closed (a later poll only gets SockJS's
				// "Go away!"): the batch and the server's log lines tell
				assertThat(polled)
					.as(() -> "seed " + SEED + "; closed after the batch " + messages + "; server log: "
							+ ddpLogLines())
					.doesNotStartWith("c[");
			}
			assertBystanderServed();
		}
	}

	// the last lines this library logged at INFO or above
	private List<String> ddpLogLines() {
		List<String> lines = this.logs.list.stream()
			.filter((event) -> event.getLoggerName().startsWith("io.ddp")
					&& event.getLevel().isGreaterOrEqual(Level.INFO))
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
		return lines.subList(Math.max(0, lines.size() - 10), lines.size());
	}

	private String marker() {
		return "marker-" + (++this.markers);
	}

	private static String markerCall(String marker) {
		return "{\"msg\":\"method\",\"id\":\"" + marker + "\",\"method\":\"echo\",\"params\":[\"" + marker + "\"]}";
	}

	private WireSocket openRaw() throws IOException, InterruptedException {
		WireSocket socket = new WireSocket(this.port, "/websocket");
		socket.sendText(CONNECT);
		socket.flush();
		assertThat(socket.poll(WAIT_MILLIS)).contains("\"connected\"");
		return socket;
	}

	private WireSocket openSockJs() throws IOException, InterruptedException {
		String session = Long.toString(SOCKJS_SESSIONS.incrementAndGet(), 36);
		WireSocket socket = new WireSocket(this.port, "/sockjs/000/" + session + "/websocket");
		assertThat(socket.poll(WAIT_MILLIS)).isEqualTo("o");
		socket.sendText(RawDdpClient.JSON.writeValueAsString(List.of(CONNECT)));
		socket.flush();
		assertThat(socket.poll(WAIT_MILLIS)).contains("connected");
		return socket;
	}

	private void awaitMarker(WireSocket socket, String marker) throws InterruptedException {
		long deadline = System.currentTimeMillis() + WAIT_MILLIS;
		while (System.currentTimeMillis() < deadline) {
			String text = socket.poll(WAIT_MILLIS);
			if (text == null) {
				break;
			}
			if (text.contains(marker + "\\\"") || text.contains(marker + "\"")) {
				if (text.contains("result")) {
					return;
				}
			}
		}
		fail("No answer to " + marker + " (seed " + SEED + "); closed " + socket.isClosed() + " with "
				+ socket.closeCode() + " " + socket.closeReason());
	}

	private static void awaitPong(WireSocket socket, String marker) throws IOException, InterruptedException {
		String id = marker + "-ping";
		socket.sendText("{\"msg\":\"ping\",\"id\":\"" + id + "\"}");
		socket.flush();
		long deadline = System.currentTimeMillis() + WAIT_MILLIS;
		while (System.currentTimeMillis() < deadline) {
			String text = socket.poll(WAIT_MILLIS);
			if (text == null) {
				break;
			}
			if (text.contains("pong") && text.contains(id)) {
				return;
			}
		}
		fail("No pong for " + id + " (seed " + SEED + "); closed " + socket.isClosed() + " with " + socket.closeCode()
				+ " " + socket.closeReason());
	}

	private static void awaitClose(WireSocket socket, Integer... codes) throws InterruptedException {
		long deadline = System.currentTimeMillis() + WAIT_MILLIS;
		List<String> late = new ArrayList<>();
		while (!socket.isClosed() && System.currentTimeMillis() < deadline) {
			String text = socket.poll(100);
			if (text != null) {
				late.add(text);
			}
		}
		assertThat(socket.isClosed()).as("closed (seed %d)", SEED).isTrue();
		assertThat(socket.closeCode())
			.as("close code (seed %d), reason [%s] %s; received after the last frame: %s", SEED, socket.closeReason(),
					socket.ending(), late)
			.isIn((Object[]) codes);
		socket.close();
	}

	private void assertBystanderServed() {
		String id = "bystander-" + (++this.markers);
		assertThat(this.bystander.call(id, "echo", "[\"" + id + "\"]").get("result"))
			.isEqualTo(json("[\"" + id + "\"]"));
	}

	private String openXhr() throws Exception {
		String session = Long.toString(SOCKJS_SESSIONS.incrementAndGet(), 36);
		assertThat(xhrPoll(session)).isEqualTo("o\n");
		assertThat(xhrSend(session, RawDdpClient.JSON.writeValueAsString(List.of(CONNECT))).statusCode())
			.isEqualTo(204);
		assertThat(xhrPoll(session)).contains("connected");
		return session;
	}

	private HttpResponse<String> xhrSend(String session, String body) throws Exception {
		return post("/sockjs/000/" + session + "/xhr_send", body);
	}

	private String xhrPoll(String session) throws Exception {
		HttpResponse<String> response = post("/sockjs/000/" + session + "/xhr", "");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
