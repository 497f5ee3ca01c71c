package io.ddp.spring.test.tester;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Opens the link of one tester connection: in process or over a WebSocket.
 */
interface TesterTransport {

	/**
	 * Open a link whose inbound frames go to the log.
	 * @param identity who the client is
	 * @param log receives the server's frames
	 * @return the open link
	 */
	Link open(Identity identity, FrameLog log);

	/**
	 * One open link to the server.
	 */
	interface Link {

		void sendToServer(String frame);

		/**
		 * Log the session in as the user, once the handshake completed.
		 * @param sessionId the session id the server sent in {@code connected}
		 * @param userId the user id
		 */
		void assignUser(String sessionId, String userId);

		void close();

	}

	/**
	 * The identity a tester's connections present.
	 *
	 * @param userId the user id to log in as, or {@code null}
	 * @param clientAddress the client address, or {@code null}
	 * @param headers the handshake headers
	 */
	record Identity(@Nullable String userId, @Nullable String clientAddress, Map<String, String> headers) {

	}

}
