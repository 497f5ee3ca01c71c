package io.ddp.spring.server.websocket;

import java.io.IOException;

import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.sockjs.transport.session.AbstractHttpSockJsSession;

/**
 * A SockJS HTTP session (XHR polling or streaming) whose full message cache closes the
 * DDP session with a reason: Spring keeps a client's messages until its next request in a
 * bounded cache, and a send past it throws, which would lose the message without a word.
 */
final class MessageCacheGuard extends WebSocketSessionDecorator {

	private final AbstractHttpSockJsSession session;

	private final WebSocketTransport transport;

	MessageCacheGuard(AbstractHttpSockJsSession session, WebSocketTransport transport) {
		super(session);
		this.session = session;
		this.transport = transport;
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		try {
			super.sendMessage(message);
		}
		catch (IllegalStateException ex) {
			// An open session refuses a message only when its cache is full.
			if (this.session.isOpen()) {
				this.transport.messageCacheFull(this.session.getSockJsServiceConfig().getHttpMessageCacheSize());
			}
			throw ex;
		}
	}

}
