package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.sockjs.SockJsException;
import org.springframework.web.socket.sockjs.SockJsMessageDeliveryException;
import org.springframework.web.socket.sockjs.transport.handler.XhrReceivingTransportHandler;
import org.springframework.web.socket.sockjs.transport.session.AbstractHttpSockJsSession;

/**
 * SockJS {@code xhr_send} with sockjs-node's answers, which Meteor clients see: 500
 * "Payload expected." for an empty body or one that is no JSON array, 500 "Broken JSON
 * encoding." for one that is not JSON, and each element of the array one message, read as
 * on the SockJS WebSocket (an element that is no string is answered with "Bad request" by
 * the session, never turned into a string of its JSON).
 *
 * @since 0.1.0
 */
public class MeteorXhrReceivingTransportHandler extends XhrReceivingTransportHandler {

	@Override
	protected void handleRequestInternal(ServerHttpRequest request, ServerHttpResponse response,
			WebSocketHandler wsHandler, AbstractHttpSockJsSession sockJsSession) throws SockJsException {
		String body;
		try {
			body = new String(request.getBody().readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new SockJsException("Failed to read the xhr_send body", sockJsSession.getId(), ex);
		}
		if (body.isEmpty()) {
			fail(response, "Payload expected.");
			return;
		}
		JsonNode frame = SockJsFraming.parse(body);
		if (frame == null) {
			fail(response, "Broken JSON encoding.");
			return;
		}
		if (!frame.isArray()) {
			fail(response, "Payload expected.");
			return;
		}
		List<String> messages = SockJsFraming.messages(frame);
		try {
			sockJsSession.delegateMessages(messages.toArray(String[]::new));
		}
		catch (Exception ex) {
			sockJsSession.tryCloseWithSockJsTransportError(ex, CloseStatus.SERVER_ERROR);
			throw new SockJsMessageDeliveryException(sockJsSession.getId(), messages, ex);
		}
		response.setStatusCode(HttpStatus.NO_CONTENT);
		response.getHeaders().setContentType(new MediaType("text", "plain", StandardCharsets.UTF_8));
	}

	private static void fail(ServerHttpResponse response, String message) {
		try {
			response.setStatusCode(HttpStatus.INTERNAL_SERVER_ERROR);
			response.getBody().write(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new SockJsException("Failed to send error: " + message, ex);
		}
	}

}
