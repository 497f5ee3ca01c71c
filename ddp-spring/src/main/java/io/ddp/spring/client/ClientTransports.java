package io.ddp.spring.client;

import java.net.http.HttpClient;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Transport selection for one connection: the JDK's WebSocket client (one
 * {@link HttpClient} per connection, its selector thread being the I/O thread) or
 * Spring's SockJS client, with the URL and headers checked up front so a bad
 * configuration fails when the connection is created, not on every retry.
 *
 * <p>
 * Threads: created and shut down on the thread that creates or closes the connection.
 *
 * @since 0.1.0
 */
final class ClientTransports {

	// the JDK sets these itself and would refuse every attempt to connect
	private static final Set<String> RESTRICTED_HEADERS = Set.of("connection", "content-length", "expect", "host",
			"upgrade");

	private final ClientTransport.Factory factory;

	private final @Nullable HttpClient httpClient;

	private ClientTransports(ClientTransport.Factory factory, @Nullable HttpClient httpClient) {
		this.factory = factory;
		this.httpClient = httpClient;
	}

	/**
	 * Select the transport the options ask for.
	 * @param options the options
	 * @return the transports
	 * @throws IllegalArgumentException if the URL or a header cannot be used
	 * @throws IllegalStateException if SockJS is asked for without spring-websocket
	 */
	static ClientTransports select(DdpClientOptions options) {
		if (options.transport() == DdpClientOptions.Transport.WEBSOCKET) {
			HttpClient httpClient = createHttpClient(options);
			return new ClientTransports(JdkWebSocketTransport.factory(httpClient), httpClient);
		}
		if (!ClassUtils.isPresent("org.springframework.web.socket.sockjs.client.SockJsClient",
				ClientTransports.class.getClassLoader())) {
			throw new IllegalStateException("The SockJS transport needs spring-websocket on the class path "
					+ "(org.springframework:spring-websocket, e.g. through spring-boot-starter-websocket); "
					+ "add it or use Transport.WEBSOCKET");
		}
		SockJsTransport.sockJsUri(options.url());
		return new ClientTransports(SockJsTransport.factory(), null);
	}

	/**
	 * Check that a URL can be used with the transport the options ask for, as
	 * {@link #select} does.
	 * @param options the options
	 * @throws IllegalArgumentException if it cannot
	 */
	static void checkUrl(DdpClientOptions options) {
		if (options.transport() == DdpClientOptions.Transport.WEBSOCKET) {
			JdkWebSocketTransport.webSocketUri(options.url());
		}
		else {
			SockJsTransport.sockJsUri(options.url());
		}
	}

	/**
	 * Use the given factory (tests script a transport through it).
	 * @param factory the factory
	 * @return the transports
	 */
	static ClientTransports of(ClientTransport.Factory factory) {
		return new ClientTransports(factory, null);
	}

	private static HttpClient createHttpClient(DdpClientOptions options) {
		JdkWebSocketTransport.webSocketUri(options.url());
		for (String header : options.headers().keySet()) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (RESTRICTED_HEADERS.contains(lower) || lower.startsWith("sec-websocket-")) {
				throw new IllegalArgumentException("Header '" + header
						+ "' cannot be set on the WebSocket upgrade request: the JDK's WebSocket client sets it");
			}
		}
		// A direct executor: the JDK then reads and calls the listener on its selector
		// thread instead of handing every read to a worker thread. The listener never
		// blocks.
		return HttpClient.newBuilder().connectTimeout(options.connectTimeout()).executor(Runnable::run).build();
	}

	ClientTransport.Factory factory() {
		return this.factory;
	}

	void shutdown() {
		// HttpClient.shutdownNow() exists from Java 21; on 17 its selector thread ends
		// when the client is garbage collected
		if (this.httpClient != null) {
			try {
				HttpClient.class.getMethod("shutdownNow").invoke(this.httpClient);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				// Java 17
			}
		}
	}

}
