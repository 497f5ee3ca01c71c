package io.ddp.spring.client;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Callbacks for what happens on a {@link DdpConnection}. Every method has an empty
 * default. Callbacks never run on the socket's I/O thread; they run in order on the
 * connection's callback thread.
 *
 * @since 0.1.0
 */
public interface DdpClientListener {

	/**
	 * The DDP handshake completed.
	 * @param sessionId the server's session id
	 * @param version the negotiated DDP version
	 * @param reconnect whether this follows an earlier connection of the same
	 * {@link DdpConnection}
	 */
	default void connected(String sessionId, String version, boolean reconnect) {
	}

	/**
	 * The transport closed or was lost.
	 * @param code the WebSocket close code, or 1006 when the link was lost without one
	 * @param reason the close reason, possibly empty
	 */
	default void socketClosed(int code, String reason) {
	}

	/**
	 * The connection failed for good ({@link ConnectionState#FAILED}).
	 * @param reason why
	 */
	default void failed(String reason) {
	}

	/**
	 * The server asked for a version this client does not support.
	 * @param serverVersion the version the server proposed in its {@code failed} frame
	 */
	default void versionMismatch(String serverVersion) {
	}

	/**
	 * The status changed.
	 * @param status the new status
	 */
	default void statusChanged(DdpConnectionStatus status) {
	}

	/**
	 * The logged-in user changed: a login or logout, a resume login after a reconnect, a
	 * resume token the server refused (after it closed the connections of a removed
	 * token, for example), or {@link DdpConnection#setUserId(String)}. Not called when a
	 * login confirms the same user.
	 * @param userId the new user id, {@code null} when logged out
	 * @since 0.1.0
	 */
	default void userIdChanged(@Nullable String userId) {
	}

	/**
	 * A document was added to a local collection.
	 * @param collection the collection
	 * @param id the (unescaped) document id
	 * @param fields the fields, decoded from EJSON
	 */
	default void added(String collection, String id, Map<String, @Nullable Object> fields) {
	}

	/**
	 * A document of a local collection changed.
	 * @param collection the collection
	 * @param id the document id
	 * @param fields the changed fields
	 * @param cleared the removed field names
	 */
	default void changed(String collection, String id, Map<String, @Nullable Object> fields,
			java.util.List<String> cleared) {
	}

	/**
	 * A document was removed from a local collection.
	 * @param collection the collection
	 * @param id the document id
	 */
	default void removed(String collection, String id) {
	}

}
