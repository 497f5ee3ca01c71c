package io.ddp.spring.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.autoconfigure.TomcatWriteCompletionsCustomizer.InlineCompletionPool;
import io.ddp.spring.server.method.DdpMethod;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat's worker pool with DDP write completions on the writing thread, on a real
 * Tomcat: made from Tomcat's own settings, counted and stopped by Tomcat as its own,
 * running the completions of a session's replies inline, and left out when switched off
 * or when the connector was given an executor.
 */
class TomcatWriteCompletionsCustomizerTests {

	@Test
	void poolTakesTomcatsSettingsRunsReplyCompletionsInlineAndStopsWithTomcat() throws Exception {
		InlineCompletionPool pool;
		try (ConfigurableApplicationContext context = start("--server.tomcat.threads.max=37",
				"--server.tomcat.threads.min-spare=3")) {
			AbstractProtocol<?> protocol = protocol(context);
			assertThat(protocol.getExecutor()).isInstanceOf(InlineCompletionPool.class);
			pool = (InlineCompletionPool) protocol.getExecutor();
			// Tomcat reports a pool it does not own as -1 threads.
			assertThat(protocol.getMaxThreads()).isEqualTo(37);
			assertThat(pool.getMaximumPoolSize()).isEqualTo(37);
			assertThat(pool.getCorePoolSize()).isEqualTo(3);
			try (Client client = new Client(context)) {
				for (int i = 1; i <= 20; i++) {
					client.call(i);
				}
			}
			// Each call's reply (updated and result in one write) completed on the
			// thread that wrote it.
			assertThat(pool.inlineCompletions()).isGreaterThanOrEqualTo(20);
		}
		assertThat(pool.isShutdown()).isTrue();
	}

	@Test
	void switchedOffTomcatKeepsItsOwnPool() throws Exception {
		try (ConfigurableApplicationContext context = start("--ddp.server.websocket.inline-write-completions=false")) {
			Executor executor = protocol(context).getExecutor();
			assertThat(executor).isInstanceOf(ThreadPoolExecutor.class).isNotInstanceOf(InlineCompletionPool.class);
			try (Client client = new Client(context)) {
				client.call(1);
			}
		}
	}

	@Test
	void connectorGivenAnExecutorKeepsIt() {
		Connector connector = new Connector();
		AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
		Executor given = Runnable::run;
		protocol.setExecutor(given);
		assertThat(TomcatWriteCompletionsCustomizer.install(connector)).isFalse();
		assertThat(protocol.getExecutor()).isSameAs(given);
	}

	@Test
	void connectorWithoutAnExecutorGetsThePoolSizedFromItsSettings() {
		Connector connector = new Connector();
		AbstractProtocol<?> protocol = (AbstractProtocol<?>) connector.getProtocolHandler();
		protocol.setMaxThreads(12);
		assertThat(TomcatWriteCompletionsCustomizer.install(connector)).isTrue();
		InlineCompletionPool pool = (InlineCompletionPool) protocol.getExecutor();
		try {
			assertThat(pool.getMaximumPoolSize()).isEqualTo(12);
			assertThat(protocol.getMaxThreads()).isEqualTo(12);
		}
		finally {
			pool.shutdownNow();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		return new SpringApplicationBuilder(EchoApplication.class)
			.run(concat(args, "--server.port=0", "--server.address=127.0.0.1"));
	}

	private static String[] concat(String[] args, String... more) {
		String[] all = new String[args.length + more.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(more, 0, all, args.length, more.length);
		return all;
	}

	private static AbstractProtocol<?> protocol(ConfigurableApplicationContext context) {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
		return (AbstractProtocol<?>) server.getTomcat().getConnector().getProtocolHandler();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class EchoApplication {

		@Bean
		Echo echo() {
			return new Echo();
		}

	}

	static class Echo {

		@DdpMethod
		public int echo(int value) {
			return value;
		}

	}

	// A plain JDK WebSocket peer speaking DDP frames.
	private static final class Client implements AutoCloseable, WebSocket.Listener {

		private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final WebSocket socket;

		Client(ConfigurableApplicationContext context) throws Exception {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/websocket"), this)
				.get(10, TimeUnit.SECONDS);
			this.socket.sendText("{\"msg\":\"connect\",\"version\":\"1\",\"support\":[\"1\"]}", true);
			assertThat(next()).contains("\"connected\"");
		}

		void call(int value) throws InterruptedException {
			this.socket.sendText(
					"{\"msg\":\"method\",\"id\":\"" + value + "\",\"method\":\"echo\",\"params\":[" + value + "]}",
					true);
			String result;
			do {
				result = next();
			}
			while (!result.contains("\"result\""));
			assertThat(result).isEqualTo("{\"msg\":\"result\",\"id\":\"" + value + "\",\"result\":" + value + "}");
		}

		private String next() throws InterruptedException {
			String frame = this.frames.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 10 s").isNotNull();
			return frame;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public void close() {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
		}

	}

}
