package io.ddp.bench;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The framework ceiling: a plain Spring {@link TextWebSocketHandler} at {@code /raw-echo}
 * that sends every text frame straight back. The load generator sends it the very same
 * bytes it sends the DDP endpoint (a DDP {@code method} frame), so both pay the same
 * WebSocket, container and Spring costs; the difference is what DDP itself costs (JSON
 * parse, dispatch, method call, result and updated frames).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class RawEchoConfig implements WebSocketConfigurer {

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new RawEchoHandler(), "/raw-echo");
	}

	static final class RawEchoHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(message);
		}

	}

}
