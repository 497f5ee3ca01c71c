package io.ddp.bench;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The framework ceiling of the fan-out scenario: a plain Spring
 * {@link TextWebSocketHandler} at {@code /raw-fanout} that answers just enough of DDP for
 * the fan-out receivers and caller ({@code connect}, {@code sub}, {@code ping}, and the
 * {@code board.bump} method) with no merge box, no publication and no DDP server: on each
 * call it builds the {@code changed} frame once and sends the same {@link TextMessage} to
 * every subscribed session, in one loop on the calling thread. The gap between it and the
 * DDP rows is what DDP's publication machinery costs; the gap between it and zero is the
 * container's per-session send, which no server on it can avoid.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class RawFanoutConfig implements WebSocketConfigurer {

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(new RawFanoutHandler(), "/raw-fanout");
	}

	static final class RawFanoutHandler extends TextWebSocketHandler {

		private static final Pattern METHOD = Pattern
			.compile("\"id\":\"([^\"]+)\".*\"params\":\\[\"([^\"]+)\",(\\d+)\\]");

		private final Set<WebSocketSession> subscribers = ConcurrentHashMap.newKeySet();

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String text = message.getPayload();
			if (text.contains("\"msg\":\"method\"")) {
				bump(session, text);
			}
			else if (text.contains("\"msg\":\"sub\"")) {
				this.subscribers.add(session);
				send(session, new TextMessage("{\"msg\":\"ready\",\"subs\":[\"b\"]}"));
			}
			else if (text.contains("\"msg\":\"connect\"")) {
				send(session, new TextMessage("{\"msg\":\"connected\",\"session\":\"" + session.getId() + "\"}"));
			}
			else if (text.contains("\"msg\":\"ping\"")) {
				send(session, new TextMessage("{\"msg\":\"pong\"}"));
			}
		}

		private void bump(WebSocketSession caller, String text) {
			Matcher m = METHOD.matcher(text);
			if (!m.find()) {
				send(caller, new TextMessage("{\"msg\":\"error\",\"reason\":\"bad method\"}"));
				return;
			}
			TextMessage changed = new TextMessage("{\"msg\":\"changed\",\"collection\":\"board\",\"id\":\"" + m.group(2)
					+ "\",\"fields\":{\"v\":" + m.group(3) + "}}");
			for (WebSocketSession subscriber : this.subscribers) {
				send(subscriber, changed);
			}
			send(caller, new TextMessage("{\"msg\":\"result\",\"id\":\"" + m.group(1) + "\",\"result\":true}"));
			send(caller, new TextMessage("{\"msg\":\"updated\",\"methods\":[\"" + m.group(1) + "\"]}"));
		}

		private static void send(WebSocketSession session, TextMessage message) {
			// Spring sessions take one sender at a time: handshake replies and fan-out
			// may meet
			synchronized (session) {
				try {
					if (session.isOpen()) {
						session.sendMessage(message);
					}
				}
				catch (IOException | RuntimeException ex) {
					// the receiver went away; the run counts what arrived
				}
			}
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			this.subscribers.remove(session);
		}

	}

}
