package io.ddp.sample.client;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ddp.sample.SampleApplication;
import io.ddp.spring.client.ConnectionState;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.DefaultDdpConnection;
import io.ddp.spring.client.ReconnectPolicy;
import io.ddp.spring.protocol.Ejson;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many threads calling one connection at once while a relay cuts the link again and
 * again: every call gets exactly its own result, none is lost, and no method id is sent
 * twice on one connection.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("conformance")
class ClientConcurrencyTests {

	private static final Pattern METHOD_ID = Pattern.compile("\"msg\":\"method\",\"id\":\"(\\d+)\"");

	@LocalServerPort
	private int port;

	@Test
	void everyCallGetsExactlyItsResultWhileTheLinkIsCutRepeatedly() throws Exception {
		int threads = 8;
		int callsPerThread = 400;
		ReconnectPolicy fast = new ReconnectPolicy(true, Duration.ofMillis(20), 1.5, Duration.ofMillis(100),
				Duration.ofMillis(5), 2, 0.5, 0);
		try (TcpRelay relay = new TcpRelay("127.0.0.1", this.port);
				DefaultDdpConnection connection = new DefaultDdpConnection("concurrency",
						DdpClientOptions.builder(URI.create("ws://127.0.0.1:" + relay.port() + "/websocket"))
							.retry(fast)
							.build(),
						Ejson.createDefault())) {
			connection.connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connection.status().state() == ConnectionState.CONNECTED);
			AtomicBoolean running = new AtomicBoolean(true);
			Thread cutter = new Thread(() -> {
				while (running.get()) {
					sleep(120);
					relay.killAll();
				}
			}, "cutter");
			cutter.start();
			ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
			AtomicInteger blockingOk = new AtomicInteger();
			List<CompletableFuture<Boolean>> asyncCalls = new ArrayList<>();
			Object asyncLock = new Object();
			CountDownLatch done = new CountDownLatch(threads);
			for (int t = 0; t < threads; t++) {
				int thread = t;
				new Thread(() -> {
					try {
						for (int i = 0; i < callsPerThread; i++) {
							String arg = thread + "-" + i;
							if (i % 2 == 0) {
								Object result = connection.call("echoOne", arg);
								if (arg.equals(result)) {
									blockingOk.incrementAndGet();
								}
								else {
									wrong.add(arg + " -> " + result);
								}
							}
							else {
								CompletableFuture<Boolean> call = connection.callAsync("echoOne", arg)
									.thenApply((result) -> {
										if (!arg.equals(result)) {
											wrong.add(arg + " -> " + result);
										}
										return arg.equals(result);
									});
								synchronized (asyncLock) {
									asyncCalls.add(call);
								}
							}
						}
					}
					catch (RuntimeException ex) {
						wrong.add("thread " + thread + " failed: " + ex);
					}
					finally {
						done.countDown();
					}
				}, "caller-" + t).start();
			}
			assertThat(done.await(90, TimeUnit.SECONDS)).isTrue();
			int asyncOk = 0;
			for (CompletableFuture<Boolean> call : asyncCalls) {
				if (call.get(60, TimeUnit.SECONDS)) {
					asyncOk++;
				}
			}
			running.set(false);
			cutter.join();
			assertThat(wrong).isEmpty();
			assertThat(blockingOk.get() + asyncOk).isEqualTo(threads * callsPerThread);
			assertThat(relay.accepted()).as("the link was cut and re-established").isGreaterThan(3);
			for (List<String> messages : relay.clientMessagesByConnection()) {
				Set<String> ids = new HashSet<>();
				for (String message : messages) {
					Matcher matcher = METHOD_ID.matcher(message);
					if (matcher.find()) {
						assertThat(ids.add(matcher.group(1)))
							.as("method id %s sent twice on one connection", matcher.group(1))
							.isTrue();
					}
				}
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
