package io.ddp.spring.server.session;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One client socket as the DDP engine sees it: raw WebSocket, SockJS, or anything else
 * that moves one DDP message per text frame.
 *
 * <p>
 * Implementations must be thread-safe: the engine sends from the socket's thread, the
 * session's queue worker and the heartbeat timer.
 *
 * @since 0.1.0
 */
public interface DdpTransport {

	/**
	 * Send one frame; silently dropped once the transport is closed.
	 * @param frame the DDP message
	 */
	void send(String frame);

	/**
	 * Send two frames back to back, in one socket write where the transport can.
	 * @param first the first message
	 * @param second the second message
	 */
	default void send(String first, String second) {
		send(first);
		send(second);
	}

	/**
	 * Close the socket.
	 * @param code the WebSocket close code
	 * @param reason the close reason
	 */
	void close(int code, String reason);

	/**
	 * Return the peer's socket address.
	 * @return the address or {@code null} if unknown
	 */
	@Nullable InetSocketAddress remoteAddress();

	/**
	 * Return the handshake request's headers, names in any case.
	 * @return the headers
	 */
	Map<String, List<String>> handshakeHeaders();

	/**
	 * Return the principal the handshake request was authenticated as (for example by
	 * Spring Security from a session cookie or a bearer token).
	 * @return the principal, or {@code null} for an anonymous handshake
	 */
	default @Nullable Principal principal() {
		return null;
	}

	/**
	 * Return the transport's name, {@code websocket} or {@code sockjs}.
	 * @return the name
	 */
	String name();

}
