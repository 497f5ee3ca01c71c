package io.ddp.spring.server.websocket;

import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpSession;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Connects Spring WebSocket sessions to the DDP engine: one {@link DdpSession} per
 * socket.
 *
 * <p>
 * On the raw endpoint it takes messages in parts as the container reads them and joins
 * them itself up to the configured maximum, so no session reserves a buffer of the
 * maximum size; a larger message closes the socket with 1009. SockJS delivers whole
 * messages, joined from parts by {@link SockJsWebSocketTransportHandler}.
 *
 * <p>
 * Called on the container's socket threads; see {@link DdpSession} for what runs where.
 *
 * @since 0.1.0
 */
public class DdpWebSocketHandler implements WebSocketHandler {

	private static final Log logger = LogFactory.getLog(DdpWebSocketHandler.class);

	private static final String SESSION = DdpWebSocketHandler.class.getName() + ".session";

	private static final String PARTIAL = DdpWebSocketHandler.class.getName() + ".partial";

	private static final String TRANSPORT = DdpWebSocketHandler.class.getName() + ".transport";

	private final DdpServer server;

	private final String transportName;

	private final boolean partialMessages;

	private final long maxMessageSize;

	private final long sendTimeLimit;

	private final long sendBufferSizeLimit;

	/**
	 * Create a handler.
	 * @param server the DDP engine
	 * @param transportName {@code websocket} or {@code sockjs}
	 * @param partialMessages whether to take messages in parts (raw WebSocket only)
	 * @param maxMessageSize largest inbound message in characters
	 * @param sendTimeLimit how long one write to a peer may take, in milliseconds, before
	 * the session is closed with 1008
	 * @param sendBufferSizeLimit how many characters may wait for a slow peer before the
	 * session is closed with 1008
	 */
	public DdpWebSocketHandler(DdpServer server, String transportName, boolean partialMessages, long maxMessageSize,
			long sendTimeLimit, long sendBufferSizeLimit) {
		this.server = server;
		this.transportName = transportName;
		this.partialMessages = partialMessages;
		this.maxMessageSize = maxMessageSize;
		this.sendTimeLimit = sendTimeLimit;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebSocketTransport transport = new WebSocketTransport(session, this.transportName, this.sendTimeLimit,
				this.sendBufferSizeLimit, this.server.observer());
		// First, so that the close unwatches the transport even if the server refuses it
		session.getAttributes().put(TRANSPORT, transport);
		DdpSession ddp = this.server.open(transport);
		transport.attach(ddp);
		session.getAttributes().put(SESSION, ddp);
	}

	@Override
	public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
		if (!(message instanceof TextMessage text)) {
			// Binary and pong frames carry no DDP.
			return;
		}
		DdpSession ddp = (DdpSession) session.getAttributes().get(SESSION);
		if (ddp == null) {
			return;
		}
		String payload = text.getPayload();
		StringBuilder partial = (StringBuilder) session.getAttributes().get(PARTIAL);
		long size = payload.length() + ((partial != null) ? partial.length() : 0);
		if (size > this.maxMessageSize) {
			session.getAttributes().remove(PARTIAL);
			session.close(CloseStatus.TOO_BIG_TO_PROCESS);
			return;
		}
		if (!text.isLast()) {
			if (partial == null) {
				partial = new StringBuilder(Math.max(256, payload.length() * 2));
				session.getAttributes().put(PARTIAL, partial);
			}
			partial.append(payload);
			return;
		}
		if (partial != null) {
			session.getAttributes().remove(PARTIAL);
			payload = partial.append(payload).toString();
		}
		ddp.receive(payload);
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) throws Exception {
		DdpSession ddp = (DdpSession) session.getAttributes().get(SESSION);
		if (logger.isDebugEnabled()) {
			logger.debug("Transport error on socket " + session.getId() + " of DDP session "
					+ ((ddp != null) ? ddp.id() : "-") + "; closing it", exception);
		}
		if (ddp != null) {
			// The close below reports 1011, which would read as the server's fault.
			ddp.transportFailed(exception);
		}
		if (session.isOpen()) {
			session.close(CloseStatus.SERVER_ERROR);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
		WebSocketTransport transport = (WebSocketTransport) session.getAttributes().remove(TRANSPORT);
		if (transport != null) {
			transport.socketClosed();
		}
		DdpSession ddp = (DdpSession) session.getAttributes().remove(SESSION);
		if (ddp != null) {
			ddp.transportClosed(closeStatus.getCode(), closeStatus.getReason());
		}
	}

	@Override
	public boolean supportsPartialMessages() {
		return this.partialMessages;
	}

}
