package io.ddp.spring.server.websocket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TomcatRemoteBase}, {@link TomcatAsyncFlush} and {@link TomcatSocketLock} on a
 * real Tomcat WebSocket server: each finds what it reads by reflection (each falls back
 * quietly when it cannot, so only a test like this notices a Tomcat that changed), and a
 * batch of two frames leaves in one flush.
 */
class TomcatInternalsTests {

	@TempDir
	Path baseDir;

	private final CompletableFuture<RemoteEndpoint.Async> remote = new CompletableFuture<>();

	private final List<String> received = new CopyOnWriteArrayList<>();

	private @Nullable Tomcat tomcat;

	private @Nullable WebSocket client;

	@BeforeEach
	void start() throws Exception {
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(this.baseDir.toString());
		Connector connector = new Connector();
		connector.setPort(0);
		connector.setProperty("address", "127.0.0.1");
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", this.baseDir.toString());
		// Tomcat runs its WebSocket filter only on a request some servlet is mapped to
		Tomcat.addServlet(context, "none", new HttpServlet() {
		});
		context.addServletMappingDecoded("/", "none");
		context.addServletContainerInitializer(new WsSci(), null);
		ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Probe.class, "/ws")
			.configurator(new ServerEndpointConfig.Configurator() {
				@Override
				public <T> T getEndpointInstance(Class<T> type) {
					return type.cast(new Probe(TomcatInternalsTests.this.remote));
				}
			})
			.build();
		context.addServletContainerInitializer((classes, servletContext) -> {
			try {
				((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName())).addEndpoint(config);
			}
			catch (jakarta.websocket.DeploymentException ex) {
				throw new IllegalStateException(ex);
			}
		}, null);
		tomcat.start();
		this.tomcat = tomcat;
		this.client = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/ws"), new WebSocket.Listener() {
				@Override
				public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
					TomcatInternalsTests.this.received.add(data.toString());
					webSocket.request(1);
					return null;
				}
			})
			.get(10, TimeUnit.SECONDS);
	}

	@AfterEach
	void stop() throws Exception {
		if (this.client != null) {
			this.client.abort();
		}
		if (this.tomcat != null) {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
	}

	@Test
	void everyInternalIsFoundOnTomcat() throws Exception {
		RemoteEndpoint.Async remote = this.remote.get(10, TimeUnit.SECONDS);
		assertThat(TomcatRemoteBase.of(remote)).isNotNull();
		assertThat(TomcatSocketLock.of(remote)).isNotNull();
		assertThat(TomcatAsyncFlush.of(remote)).isNotNull();
	}

	@Test
	void batchLeavesInOneFlush() throws Exception {
		RemoteEndpoint.Async remote = this.remote.get(10, TimeUnit.SECONDS);
		TomcatAsyncFlush flush = TomcatAsyncFlush.of(remote);
		assertThat(flush).isNotNull();
		List<String> frames = List.of("{\"msg\":\"updated\",\"methods\":[\"1\"]}",
				"{\"msg\":\"result\",\"id\":\"1\",\"result\":42}");
		assertThat(flush.fitting(frames, 0)).isEqualTo(2);
		CompletableFuture<SendResult> flushed = new CompletableFuture<>();
		TomcatSocketLock lock = TomcatSocketLock.of(remote);
		assertThat(lock).isNotNull();
		// free once Tomcat is done with the socket's last read (the upgrade)
		await().pollInSameThread().until(lock::tryLock);
		try {
			flush.startBatch();
			for (String frame : frames) {
				CompletableFuture<SendResult> copied = new CompletableFuture<>();
				remote.sendText(frame, copied::complete);
				// batching on: the frame is only copied into the batch buffer
				assertThat(copied.get(10, TimeUnit.SECONDS).isOK()).isTrue();
			}
			assertThat(this.received).isEmpty();
			flush.flush(flushed::complete);
		}
		finally {
			lock.unlock();
		}
		assertThat(flushed.get(10, TimeUnit.SECONDS).isOK()).isTrue();
		await().until(() -> this.received.size() == 2);
		assertThat(this.received).containsExactlyElementsOf(frames);
	}

	public static final class Probe extends Endpoint {

		private final CompletableFuture<RemoteEndpoint.Async> remote;

		Probe(CompletableFuture<RemoteEndpoint.Async> remote) {
			this.remote = remote;
		}

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			this.remote.complete(session.getAsyncRemote());
		}

	}

}
