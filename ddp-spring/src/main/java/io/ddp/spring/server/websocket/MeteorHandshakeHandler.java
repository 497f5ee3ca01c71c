package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * The standard handshake, answering a plain HTTP request on a WebSocket path the way
 * Meteor does: 400 "Not a valid websocket request" (ddp-protocol.md 1.1).
 *
 * @since 0.1.0
 */
public class MeteorHandshakeHandler extends DefaultHandshakeHandler {

	@Override
	protected void handleInvalidUpgradeHeader(ServerHttpRequest request, ServerHttpResponse response)
			throws IOException {
		notAWebSocketRequest(response);
	}

	@Override
	protected void handleInvalidConnectHeader(ServerHttpRequest request, ServerHttpResponse response)
			throws IOException {
		notAWebSocketRequest(response);
	}

	private static void notAWebSocketRequest(ServerHttpResponse response) throws IOException {
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getBody().write("Not a valid websocket request".getBytes(StandardCharsets.UTF_8));
	}

}
