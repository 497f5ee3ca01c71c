package io.ddp.spring.server;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The server's handle on one connected DDP client (Meteor's {@code this.connection}).
 *
 * <p>
 * Thread-safe; callbacks registered with {@link #onClose(Runnable)} run on the
 * application task executor, never on a socket thread.
 *
 * @since 0.1.0
 */
public interface ClientConnection {

	/**
	 * Return the connection id, equal to the DDP session id sent in {@code connected}.
	 * @return the id
	 */
	String id();

	/**
	 * Return the client's address: the socket's remote address, or the entry of
	 * {@code X-Forwarded-For} chosen by {@code ddp.server.forwarded-count}; {@code null}
	 * when the header is missing or shorter than that count.
	 * @return the client address or {@code null}
	 */
	@Nullable String clientAddress();

	/**
	 * Return the handshake's HTTP headers that Meteor exposes (lower-case names; a fixed
	 * allow-list without cookies or authorization).
	 * @return the headers
	 */
	Map<String, String> httpHeaders();

	/**
	 * Return the principal the handshake request was authenticated as: with Spring
	 * Security, the {@code Authentication} of a session cookie, a bearer token or basic
	 * credentials. Independent of the DDP {@link #userId()}, which {@code login} sets.
	 * @return the handshake's principal, or {@code null} for an anonymous handshake
	 */
	@Nullable Principal principal();

	/**
	 * Return attributes that live as long as the connection (thread-safe), where
	 * extensions keep per-connection state such as the hashed login token.
	 * @return the mutable attributes
	 */
	Map<String, Object> attributes();

	/**
	 * Return the transport: {@code websocket} or {@code sockjs}.
	 * @return the transport name
	 */
	String transport();

	/**
	 * Return when the DDP handshake completed.
	 * @return the time the client connected
	 */
	Instant connectedAt();

	/**
	 * Return the user id the connection is logged in as.
	 * @return the user id or {@code null}
	 */
	@Nullable String userId();

	/**
	 * Whether the connection is still open.
	 * @return {@code true} until the connection closed
	 */
	boolean isOpen();

	/**
	 * Register a callback for when the connection closes; it runs at once
	 * (asynchronously) if the connection is already closed.
	 * @param callback the callback
	 */
	void onClose(Runnable callback);

	/**
	 * Close the connection. No DDP message is sent first; the socket closes normally.
	 */
	void close();

}
