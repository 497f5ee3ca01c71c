package io.ddp.spring.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.ddp.spring.server.session.DdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Overload (issue 11): clients that pipeline far more calls than the server can answer
 * and never read cost only themselves: a bystander's pings keep being answered quickly,
 * the heap stays bounded, and each flooder is closed with 1008 at the first limit it
 * reaches: its send buffer, or its queue of messages waiting for their turn.
 */
@SpringBootTest(classes = { ProtocolTestApplication.class, DdpOverloadTests.Meters.class },
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.server.send.buffer-size-limit=1MB")
class DdpOverloadTests {

	private static final int FLOODERS = 4;

	private static final int CALLS = 200_000;

	// A bystander's ping may wait behind the flooders' work on two shared cores, but for
	// well under the seconds a blocked write took before (18.5 s in issue 11).
	private static final Duration PING_BOUND = Duration.ofSeconds(2);

	// Live data after a collection while flooding: every flooder's outbound limit (1 MiB
	// of Latin-1 text) and what its pipelined calls hold until it is closed; far below
	// what unbounded queues reached (187 MiB for one flooder in issue 11).
	private static final long HEAP_BOUND = 256L * 1024 * 1024;

	@LocalServerPort
	int port;

	@Autowired
	DdpServer server;

	@Autowired
	MeterRegistry meters;

	@Test
	void floodersAreShedWhileABystanderIsServed() throws Exception {
		long baseline = liveHeapAfterLastGc();
		List<Thread> flooders = new ArrayList<>();
		List<BareWebSocket> sockets = new ArrayList<>();
		try (RawDdpClient bystander = RawDdpClient
			.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"))) {
			for (int i = 0; i < FLOODERS; i++) {
				BareWebSocket socket = BareWebSocket.open(this.port, 4096);
				sockets.add(socket);
				Thread flooder = new Thread(() -> flood(socket), "flooder-" + i);
				flooder.start();
				flooders.add(flooder);
			}
			AtomicLong worstPing = new AtomicLong();
			AtomicLong peakHeap = new AtomicLong();
			int ping = 0;
			long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
			while (closedAtLimit() < FLOODERS && System.nanoTime() < deadline) {
				long start = System.nanoTime();
				String id = "p" + ping++;
				bystander.send("{\"msg\":\"ping\",\"id\":\"" + id + "\"}");
				bystander.next((frame) -> "pong".equals(frame.path("msg").asString())
						&& id.equals(frame.path("id").asString()));
				worstPing.accumulateAndGet(System.nanoTime() - start, Math::max);
				peakHeap.accumulateAndGet(liveHeapAfterLastGc(), Math::max);
			}
			assertThat(closedAtLimit()).as("flooders closed at a limit").isGreaterThanOrEqualTo(FLOODERS);
			assertThat(Duration.ofNanos(worstPing.get())).as("slowest of %d pings", ping).isLessThan(PING_BOUND);
			assertThat(peakHeap.get() - baseline).as("live heap growth while flooding").isLessThan(HEAP_BOUND);
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(this.server.sessionCount()).isOne();
				assertThat(this.server.runningMethodCount()).isZero();
			});
			assertThat(bystander.call("last", "echo", "[\"still here\"]").get("result").get(0).asString())
				.isEqualTo("still here");
		}
		finally {
			for (BareWebSocket socket : sockets) {
				socket.close();
			}
			for (Thread flooder : flooders) {
				flooder.join(10_000);
			}
		}
	}

	// Pipelines calls without reading; ends when the server stops taking them.
	private static void flood(BareWebSocket socket) {
		try {
			socket.text("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}");
			for (int i = 0; i < CALLS; i++) {
				socket.text("{\"msg\":\"method\",\"id\":\"" + i + "\",\"method\":\"echo\",\"params\":[" + i + "]}");
			}
			socket.flush();
		}
		catch (IOException ex) {
			// Closed by the server: what the test expects.
		}
	}

	private double closedAtLimit() {
		return this.meters.get("ddp.server.sessions.closed").tag("reason", "send-buffer-size-limit").counter().count()
				+ this.meters.get("ddp.server.messages.rejected").tag("reason", "queue-full").counter().count();
	}

	// Heap in use right after the last collection of each pool: live data, not garbage.
	private static long liveHeapAfterLastGc() {
		long used = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			MemoryUsage usage = pool.getCollectionUsage();
			if (pool.getType() == MemoryType.HEAP && usage != null) {
				used += usage.getUsed();
			}
		}
		return used;
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Meters {

		@Bean
		SimpleMeterRegistry simpleMeterRegistry() {
			return new SimpleMeterRegistry();
		}

		// Small kernel send buffers: a flooder's replies pile up in its outbound queue
		// rather than in the socket, so it reaches its limit after fewer calls.
		@Bean
		TomcatConnectorCustomizer smallSendBuffers() {
			return (connector) -> connector.setProperty("socket.txBufSize", "65536");
		}

	}

}
