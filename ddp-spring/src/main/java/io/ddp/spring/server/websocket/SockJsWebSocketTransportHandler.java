package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.SockJsTransportFailureException;
import org.springframework.web.socket.sockjs.transport.SockJsSession;
import org.springframework.web.socket.sockjs.transport.handler.SockJsWebSocketHandler;
import org.springframework.web.socket.sockjs.transport.handler.WebSocketTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.WebSocketServerSockJsSession;

/**
 * The SockJS WebSocket transport as Meteor's sockjs-node serves it.
 *
 * <p>
 * Frames are taken in parts as the container reads them and joined here up to a limit, so
 * a message is not limited by the container's (small) WebSocket buffer and no socket
 * reserves a buffer of the limit's size. A frame past the limit closes the socket with
 * 1009.
 *
 * <p>
 * A frame is read as sockjs-node reads it ({@link SockJsFraming}); one that is not JSON
 * closes the session with SockJS's {@code c[3000,"Broken framing."]}, as sockjs-node
 * does, rather than as a server error.
 *
 * <p>
 * The socket is written by one thread at a time ({@link SerialWebSocketSession}), so a
 * close frame that meets a write in progress follows it rather than being lost.
 *
 * @since 0.1.0
 */
public class SockJsWebSocketTransportHandler extends WebSocketTransportHandler {

	private static final Log logger = LogFactory.getLog(SockJsWebSocketTransportHandler.class);

	/**
	 * The close status of a frame that is not SockJS framing.
	 */
	public static final CloseStatus BROKEN_FRAMING = new CloseStatus(3000, "Broken framing.");

	private final long maxFrameSize;

	/**
	 * Create a transport handler.
	 * @param handshakeHandler the handshake handler
	 * @param maxFrameSize the largest frame in characters, SockJS's escaping included
	 */
	public SockJsWebSocketTransportHandler(HandshakeHandler handshakeHandler, long maxFrameSize) {
		super(handshakeHandler);
		this.maxFrameSize = maxFrameSize;
	}

	@Override
	public void handleRequest(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			SockJsSession wsSession) throws SockJsException {
		WebSocketServerSockJsSession sockJsSession = (WebSocketServerSockJsSession) wsSession;
		try {
			FramingHandler handler = new FramingHandler(this, wsHandler, sockJsSession, this.maxFrameSize);
			getHandshakeHandler().doHandshake(request, response, handler, sockJsSession.getAttributes());
		}
		catch (Exception ex) {
			sockJsSession.tryCloseWithSockJsTransportError(ex, CloseStatus.SERVER_ERROR);
			throw new SockJsTransportFailureException("WebSocket handshake failure", wsSession.getId(), ex);
		}
	}

	/**
	 * Spring's SockJS WebSocket handler, taking frames in parts and decoding them as
	 * sockjs-node does.
	 */
	private static final class FramingHandler extends SockJsWebSocketHandler {

		private final WebSocketServerSockJsSession sockJsSession;

		private final long maxFrameSize;

		private @Nullable StringBuilder partial;

		private volatile @Nullable SerialWebSocketSession socket;

		FramingHandler(SockJsWebSocketTransportHandler transport, WebSocketHandler handler,
				WebSocketServerSockJsSession sockJsSession, long maxFrameSize) {
			super(transport.getServiceConfig(), handler, sockJsSession);
			this.sockJsSession = sockJsSession;
			this.maxFrameSize = maxFrameSize;
		}

		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			SerialWebSocketSession socket = new SerialWebSocketSession(session);
			this.socket = socket;
			super.afterConnectionEstablished(socket);
		}

		// Closes behind a write in progress, as the SockJS session's own do.
		private void closeSocket(WebSocketSession session, CloseStatus status) throws IOException {
			SerialWebSocketSession socket = this.socket;
			((socket != null) ? socket : session).close(status);
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
			// Such as invalid UTF-8: the container closes the socket with its code
			// (1007),
			// and the close tears the SockJS and DDP sessions down. Closing the SockJS
			// session here would answer with 1011 instead.
			if (logger.isDebugEnabled()) {
				logger.debug("Transport error on SockJS session " + this.sockJsSession.getId(), exception);
			}
		}

		@Override
		public boolean supportsPartialMessages() {
			return true;
		}

		@Override
		public void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String payload = message.getPayload();
			StringBuilder partial = this.partial;
			long size = payload.length() + ((partial != null) ? partial.length() : 0);
			if (size > this.maxFrameSize) {
				this.partial = null;
				closeSocket(session, CloseStatus.TOO_BIG_TO_PROCESS);
				return;
			}
			if (!message.isLast()) {
				if (partial == null) {
					partial = new StringBuilder(Math.max(256, payload.length() * 2));
					this.partial = partial;
				}
				partial.append(payload);
				return;
			}
			if (partial != null) {
				this.partial = null;
				payload = partial.append(payload).toString();
			}
			if (payload.isEmpty()) {
				return;
			}
			List<String> messages = SockJsFraming.decodeFrame(payload);
			if (messages == null) {
				if (logger.isDebugEnabled()) {
					logger.debug("Closing SockJS session " + this.sockJsSession.getId() + ": broken framing");
				}
				this.sockJsSession.close(BROKEN_FRAMING);
				return;
			}
			try {
				this.sockJsSession.delegateMessages(messages.toArray(String[]::new));
			}
			catch (Exception ex) {
				// Never a SockJS session closed under an open, silent WebSocket.
				this.sockJsSession.tryCloseWithSockJsTransportError(ex, CloseStatus.SERVER_ERROR);
				closeSocket(session, CloseStatus.SERVER_ERROR);
			}
		}

	}

}
