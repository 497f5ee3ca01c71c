package io.ddp.spring.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * The default transport: a raw WebSocket ({@code /websocket}, one DDP message per text
 * frame) on the JDK's {@link java.net.http.WebSocket}. The JDK allows one outstanding
 * send at a time, so messages queue in a lock-free outbox that the sending thread drains;
 * a completed write immediately takes the next message, without a thread hop.
 *
 * @since 0.1.0
 */
final class JdkWebSocketTransport implements ClientTransport, WebSocket.Listener {

	private final ClientTransport.Handler handler;

	private final ConcurrentLinkedQueue<String> outbox = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean sending = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private @Nullable StringBuilder partial;

	private volatile @Nullable WebSocket webSocket;

	private JdkWebSocketTransport(ClientTransport.Handler handler) {
		this.handler = handler;
	}

	/**
	 * Return the factory that opens raw WebSocket transports with the given client.
	 * @param client the HTTP client
	 * @return the factory
	 */
	static ClientTransport.Factory factory(HttpClient client) {
		return (options, handler) -> {
			JdkWebSocketTransport transport = new JdkWebSocketTransport(handler);
			URI uri = webSocketUri(options.url());
			WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(options.connectTimeout());
			for (Map.Entry<String, String> header : options.headers().entrySet()) {
				builder.header(header.getKey(), header.getValue());
			}
			CompletableFuture<WebSocket> opening;
			try {
				opening = builder.buildAsync(uri, transport);
			}
			catch (RuntimeException ex) {
				opening = CompletableFuture.failedFuture(ex);
			}
			opening.whenComplete((webSocket, ex) -> {
				if (ex != null) {
					Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
					transport.closed(1006, "Cannot connect to " + uri + ": " + cause);
				}
			});
		};
	}

	/**
	 * Translate a server URL to the raw WebSocket endpoint as Meteor's Node client does:
	 * {@code http(s)} becomes {@code ws(s)} and {@code /websocket} is appended unless
	 * present; {@code ws(s)} URLs are used as they are.
	 * @param url the URL
	 * @return the WebSocket URL
	 */
	static URI webSocketUri(URI url) {
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
		switch (scheme) {
			case "ws", "wss" -> {
				return url;
			}
			case "http", "https" -> {
				String path = (url.getRawPath() != null) ? url.getRawPath() : "";
				if (!path.endsWith("/websocket")) {
					path = (path.endsWith("/") ? path : path + "/") + "websocket";
				}
				String query = (url.getRawQuery() != null) ? "?" + url.getRawQuery() : "";
				return URI
					.create((scheme.equals("http") ? "ws" : "wss") + "://" + url.getRawAuthority() + path + query);
			}
			default -> throw new IllegalArgumentException(
					"Unsupported DDP URL '" + url + "': use ws://, wss://, http:// or https://");
		}
	}

	@Override
	public void onOpen(WebSocket webSocket) {
		this.webSocket = webSocket;
		webSocket.request(Long.MAX_VALUE);
		this.handler.onOpen(this);
	}

	@Override
	public @Nullable CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		StringBuilder partial = this.partial;
		if (partial == null && last) {
			this.handler.onMessage(data.toString());
			return null;
		}
		if (partial == null) {
			partial = new StringBuilder(data.length() * 2);
			this.partial = partial;
		}
		partial.append(data);
		if (last) {
			this.partial = null;
			this.handler.onMessage(partial.toString());
		}
		return null;
	}

	@Override
	public @Nullable CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		closed(statusCode, reason);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		closed(1006, String.valueOf(error));
	}

	private void closed(int code, String reason) {
		if (this.closed.compareAndSet(false, true)) {
			WebSocket webSocket = this.webSocket;
			if (webSocket != null) {
				webSocket.abort();
			}
			this.outbox.clear();
			this.handler.onClose(code, reason);
		}
	}

	@Override
	public void send(String text) {
		queue(text);
		flush();
	}

	@Override
	public void queue(String text) {
		if (!this.closed.get()) {
			this.outbox.add(text);
		}
	}

	@Override
	public void flush() {
		if (!this.outbox.isEmpty() && this.sending.compareAndSet(false, true)) {
			drain();
		}
	}

	private void drain() {
		WebSocket webSocket = this.webSocket;
		while (webSocket != null) {
			String text = this.outbox.poll();
			if (text == null) {
				this.sending.set(false);
				// A send may have queued between the poll and the reset
				if (this.outbox.isEmpty() || !this.sending.compareAndSet(false, true)) {
					return;
				}
				continue;
			}
			CompletableFuture<WebSocket> sent;
			try {
				sent = webSocket.sendText(text, true);
			}
			catch (RuntimeException ex) {
				this.sending.set(false);
				closed(1006, "Send failed: " + ex);
				return;
			}
			if (sent.isDone()) {
				if (sent.isCompletedExceptionally()) {
					this.sending.set(false);
					closed(1006, "Send failed");
					return;
				}
				continue;
			}
			sent.whenComplete((ws, ex) -> {
				if (ex != null) {
					this.sending.set(false);
					closed(1006, "Send failed: " + ex);
				}
				else {
					drain();
				}
			});
			return;
		}
	}

	@Override
	public void close(int code, String reason) {
		WebSocket webSocket = this.webSocket;
		if (webSocket != null && !this.closed.get()) {
			try {
				webSocket.sendClose(code, reason).whenComplete((ws, ex) -> webSocket.abort());
			}
			catch (RuntimeException ex) {
				webSocket.abort();
			}
		}
		if (this.closed.compareAndSet(false, true)) {
			this.outbox.clear();
		}
	}

	@Override
	public void abort() {
		if (this.closed.compareAndSet(false, true)) {
			this.outbox.clear();
		}
		WebSocket webSocket = this.webSocket;
		if (webSocket != null) {
			webSocket.abort();
		}
	}

}
