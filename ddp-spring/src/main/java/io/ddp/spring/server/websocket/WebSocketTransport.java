package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.server.session.DdpTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

/**
 * A {@link DdpTransport} over a Spring {@link WebSocketSession}. On a standard (JSR-356)
 * session sends go through a {@link BatchingSender}; otherwise (SockJS, other containers)
 * sends from several threads are serialized by
 * {@link ConcurrentWebSocketSessionDecorator}: a thread that finds the socket busy leaves
 * its frame in the buffer for the sending thread, and a peer that stops reading past the
 * limits is disconnected instead of growing the heap.
 */
final class WebSocketTransport implements DdpTransport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final boolean JSR356_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private final WebSocketSession session;

	private final ConcurrentWebSocketSessionDecorator sender;

	// Set when the container gives a standard WebSocket session (Tomcat): faster, batched
	// writes.
	private final @Nullable BatchingSender batching;

	private final String name;

	WebSocketTransport(WebSocketSession session, String name, int sendTimeLimit, int sendBufferSizeLimit) {
		this.session = session;
		this.name = name;
		this.sender = new ConcurrentWebSocketSessionDecorator(session, sendTimeLimit, sendBufferSizeLimit);
		this.batching = batchingSender(session, sendBufferSizeLimit);
	}

	private static @Nullable BatchingSender batchingSender(WebSocketSession session, int sendBufferSizeLimit) {
		// Only a plain standard session: SockJS sessions expose the same native session
		// but
		// must keep their own framing.
		if (!JSR356_PRESENT || !(session instanceof StandardWebSocketSession standardSession)) {
			return null;
		}
		try {
			Object target = standardSession.getNativeSession();
			return (target instanceof jakarta.websocket.Session standard)
					? new BatchingSender(standard, sendBufferSizeLimit) : null;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Batching unavailable; sending frame by frame", ex);
			return null;
		}
	}

	@Override
	public void send(String frame) {
		if (!this.session.isOpen()) {
			return;
		}
		try {
			if (this.batching != null) {
				this.batching.send(frame);
			}
			else {
				this.sender.sendMessage(new TextMessage(frame));
			}
		}
		catch (IOException | RuntimeException ex) {
			// The socket is going away; its close callback tears the session down.
			logger.debug("DDP send failed on " + this.session.getId(), ex);
		}
	}

	@Override
	public void send(String first, String second) {
		if (this.batching == null) {
			DdpTransport.super.send(first, second);
			return;
		}
		if (!this.session.isOpen()) {
			return;
		}
		try {
			this.batching.send(first, second);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("DDP send failed on " + this.session.getId(), ex);
		}
	}

	@Override
	public void close(int code, String reason) {
		try {
			this.sender.close(new CloseStatus(code, reason));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("DDP close failed on " + this.session.getId(), ex);
		}
	}

	@Override
	public @Nullable InetSocketAddress remoteAddress() {
		try {
			return this.session.getRemoteAddress();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	@Override
	public Map<String, List<String>> handshakeHeaders() {
		// A copy: the servlet-backed header view of SockJS HTTP sessions cannot be
		// iterated as a map.
		Map<String, List<String>> headers = new LinkedHashMap<>();
		this.session.getHandshakeHeaders().forEach(headers::put);
		return headers;
	}

	@Override
	public @Nullable Principal principal() {
		return this.session.getPrincipal();
	}

	@Override
	public String name() {
		return this.name;
	}

}
