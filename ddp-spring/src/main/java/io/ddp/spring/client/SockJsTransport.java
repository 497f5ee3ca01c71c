package io.ddp.spring.client;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.sockjs.client.RestTemplateXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.Transport;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * The SockJS transport ({@link DdpClientOptions.Transport#SOCKJS}) on Spring's
 * {@link SockJsClient}: its WebSocket transport first (needs a {@code jakarta.websocket}
 * client such as Tomcat's), then XHR polling. SockJS batches several DDP messages into
 * one {@code a[...]} frame; Spring's session hands them over one by one.
 *
 * @since 0.1.0
 */
final class SockJsTransport extends AbstractWebSocketHandler implements ClientTransport {

	private static final String SOCKJS_CLIENT = "org.springframework.web.socket.sockjs.client.SockJsClient";

	private static final String WEBSOCKET_CONTAINER = "jakarta.websocket.WebSocketContainer";

	private final ClientTransport.Handler handler;

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable WebSocketSession session;

	private SockJsTransport(ClientTransport.Handler handler) {
		this.handler = handler;
	}

	/**
	 * Return a factory of SockJS transports.
	 * @return the factory
	 * @throws IllegalStateException if spring-websocket is not on the class path
	 */
	static ClientTransport.Factory factory() {
		ClassLoader loader = SockJsTransport.class.getClassLoader();
		if (!ClassUtils.isPresent(SOCKJS_CLIENT, loader)) {
			throw new IllegalStateException("The SockJS transport needs spring-websocket on the class path "
					+ "(org.springframework:spring-websocket, e.g. through spring-boot-starter-websocket); "
					+ "add it or use Transport.WEBSOCKET");
		}
		List<Transport> transports = new ArrayList<>();
		if (ClassUtils.isPresent(WEBSOCKET_CONTAINER, loader)) {
			transports.add(new WebSocketTransport(new StandardWebSocketClient()));
		}
		transports.add(new RestTemplateXhrTransport());
		SockJsClient client = new SockJsClient(transports);
		return (options, handler) -> {
			SockJsTransport transport = new SockJsTransport(handler);
			WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
			for (Map.Entry<String, String> header : options.headers().entrySet()) {
				headers.add(header.getKey(), header.getValue());
			}
			URI url = sockJsUri(options.url());
			try {
				client.execute(transport, headers, url).whenComplete((session, ex) -> {
					if (ex != null) {
						transport.closed(1006, "Cannot connect to " + url + ": " + ex);
					}
				});
			}
			catch (RuntimeException ex) {
				transport.closed(1006, "Cannot connect to " + url + ": " + ex);
			}
		};
	}

	static URI sockJsUri(URI url) {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
		String httpScheme = switch (scheme) {
			case "http", "ws" -> "http";
			case "https", "wss" -> "https";
			default -> throw new IllegalArgumentException(
					"Unsupported DDP URL '" + url + "' for SockJS: use http:// or https://");
		};
		String path = (url.getRawPath() != null) ? url.getRawPath() : "";
		if (path.endsWith("/websocket")) {
			path = path.substring(0, path.length() - "/websocket".length());
		}
		if (!path.endsWith("/sockjs")) {
			path = (path.endsWith("/") ? path : path + "/") + "sockjs";
		}
		return URI.create(httpScheme + "://" + url.getRawAuthority() + path);
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.session = session;
		this.handler.onOpen(this);
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		this.handler.onMessage(message.getPayload());
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		closed(1006, String.valueOf(exception));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		closed(status.getCode(), (status.getReason() != null) ? status.getReason() : "");
	}

	private void closed(int code, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			closeSession(CloseStatus.SERVER_ERROR);
			this.handler.onClose(code, reason);
		}
	}

	@Override
	public void send(String text) {
		WebSocketSession session = this.session;
		if (session == null || this.closed.get()) {
			return;
		}
		try {
			WebSocketMessage<?> message = new TextMessage(text);
			// Spring's sessions are not safe for concurrent sends
			synchronized (this) {
				session.sendMessage(message);
			}
		}
		catch (IOException | RuntimeException ex) {
			closed(1006, "Send failed: " + ex);
		}
	}

	@Override
	public void close(int code, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			closeSession(new CloseStatus(code, reason));
		}
	}

	@Override
	public void abort() {
		close(1000, "");
	}

	private void closeSession(CloseStatus status) {
		WebSocketSession session = this.session;
		if (session != null && session.isOpen()) {
			try {
				session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				// already gone
			}
		}
	}

}
