package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpSession;
import io.ddp.spring.server.session.DdpTransport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.jetty.JettyWebSocketSession;
import org.springframework.web.socket.adapter.standard.StandardWebSocketSession;
import org.springframework.web.socket.sockjs.transport.session.AbstractHttpSockJsSession;

/**
 * A {@link DdpTransport} over a Spring {@link WebSocketSession}. Every send only queues
 * the frame in the session's {@link OutboundQueue}: a standard (JSR-356) session such as
 * Tomcat's writes it with asynchronous sends, a Jetty session with Jetty's own
 * non-blocking sends, any other (SockJS, other containers) on a drain task of its own. A
 * peer that lets more than the buffer limit pile up, or takes longer than the time limit
 * over one write, is closed with 1008 and a reason, logged once at INFO and reported to
 * the server's observer; no other session waits for it.
 */
final class WebSocketTransport implements DdpTransport, OutboundQueue.Listener {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final boolean JSR356_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private static final boolean JETTY_PRESENT = ClassUtils.isPresent("org.eclipse.jetty.websocket.api.Session",
			WebSocketTransport.class.getClassLoader());

	// Tomcat's per-session waits for a close frame to go out (behind a write in
	// progress): blocking sends, 1000 included, and other close codes (50 ms by
	// default, too short for a slow client to ever see why it was closed).
	private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	private static final String TOMCAT_ABNORMAL_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT";

	// The longest a close frame waits for a peer, holding a closer thread.
	private static final long CLOSE_WAIT_MILLIS = 5_000;

	static final int POLICY_VIOLATION = 1008;

	static final String BUFFER_LIMIT_REASON = "Send buffer limit exceeded";

	static final String TIME_LIMIT_REASON = "Send time limit exceeded";

	static final String MESSAGE_CACHE_REASON = "Too many messages wait for the client";

	private final WebSocketSession session;

	private final OutboundQueue queue;

	private final String name;

	private final long bufferLimit;

	private final long timeLimitMillis;

	private final DdpServerObserver observer;

	private volatile @Nullable DdpSession ddpSession;

	WebSocketTransport(WebSocketSession session, String name, long timeLimitMillis, long bufferLimit,
			DdpServerObserver observer) {
		this.session = session;
		this.name = name;
		this.bufferLimit = bufferLimit;
		this.timeLimitMillis = timeLimitMillis;
		this.observer = observer;
		OutboundQueue async = asyncQueue(session);
		WebSocketSession target = (session instanceof AbstractHttpSockJsSession http)
				? new MessageCacheGuard(http, this) : session;
		this.queue = (async != null) ? async : new ExecutorQueue(target, SocketTasks.SENDER, bufferLimit,
				TimeUnit.MILLISECONDS.toNanos(timeLimitMillis), this);
		SendTimeWatch.SHARED.watch(this.queue);
	}

	private @Nullable OutboundQueue asyncQueue(WebSocketSession session) {
		// Only a plain container session: SockJS sessions expose the same native session
		// but must keep their own framing.
		if (JETTY_PRESENT && session instanceof JettyWebSocketSession jettySession) {
			return jettyQueue(jettySession);
		}
		if (!JSR356_PRESENT || !(session instanceof StandardWebSocketSession standardSession)) {
			return null;
		}
		try {
			Object target = standardSession.getNativeSession();
			if (!(target instanceof jakarta.websocket.Session standard)) {
				return null;
			}
			jakarta.websocket.RemoteEndpoint.Async remote = standard.getAsyncRemote();
			// No container send timeout: SendTimeWatch stands in for it, without Tomcat's
			// server-wide lock on every write.
			Long closeWait = Math.min(this.timeLimitMillis, CLOSE_WAIT_MILLIS);
			standard.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, closeWait);
			standard.getUserProperties().put(TOMCAT_ABNORMAL_CLOSE_TIMEOUT, closeWait);
			return new AsyncRemoteQueue(remote, this.bufferLimit, TimeUnit.MILLISECONDS.toNanos(this.timeLimitMillis),
					this);
		}
		catch (RuntimeException ex) {
			logger.debug("Asynchronous sends unavailable on " + session.getId() + "; sending on a drain task", ex);
			return null;
		}
	}

	private @Nullable OutboundQueue jettyQueue(JettyWebSocketSession session) {
		try {
			return new JettyQueue(session.getNativeSession(), this.bufferLimit,
					TimeUnit.MILLISECONDS.toNanos(this.timeLimitMillis), this);
		}
		catch (RuntimeException ex) {
			logger.debug("Asynchronous sends unavailable on " + session.getId() + "; sending on a drain task", ex);
			return null;
		}
	}

	void attach(DdpSession ddpSession) {
		this.ddpSession = ddpSession;
	}

	/**
	 * The socket closed: its writes need no more watching.
	 */
	void socketClosed() {
		SendTimeWatch.SHARED.unwatch(this.queue);
	}

	@Override
	public void send(String frame) {
		this.queue.send(frame);
	}

	@Override
	public void send(String first, String second) {
		this.queue.send(first, second);
	}

	@Override
	public void close(int code, String reason) {
		this.queue.close(code, reason);
	}

	@Override
	public void limitExceeded(OutboundQueue.SendLimit limit, long queued) {
		String reason = (limit == OutboundQueue.SendLimit.BUFFER) ? BUFFER_LIMIT_REASON : TIME_LIMIT_REASON;
		this.queue.abort(POLICY_VIOLATION, reason);
		DdpSession ddp = this.ddpSession;
		if (logger.isInfoEnabled()) {
			String what = (limit == OutboundQueue.SendLimit.BUFFER)
					? "more than " + this.bufferLimit + " characters waited for it (ddp.server.send.buffer-size-limit)"
					: "one write took longer than " + this.timeLimitMillis + " ms (ddp.server.send.time-limit)";
			logger.info("Closed DDP session " + ((ddp != null) ? ddp.id() : "-") + " over " + this.name + " from "
					+ ((ddp != null) ? ddp.clientAddress() : remoteAddress()) + " with " + POLICY_VIOLATION
					+ ": its client reads too slowly, " + what);
		}
		if (ddp != null) {
			this.observer.sendLimitExceeded(ddp, (limit == OutboundQueue.SendLimit.BUFFER)
					? DdpServerObserver.SendLimit.BUFFER_SIZE : DdpServerObserver.SendLimit.TIME);
			// Off this thread: it may be a fan-out's, inside a delivery to this session.
			SocketTasks.CLOSER.execute(() -> ddp.close(POLICY_VIOLATION, reason));
		}
	}

	/**
	 * A SockJS HTTP session refused a message: its cache of messages waiting for the
	 * client's next poll is full. Spring's SockJS would drop it (the send throws), so the
	 * session is closed as for a passed send limit.
	 * @param capacity the cache's size
	 */
	void messageCacheFull(int capacity) {
		if (!this.queue.isAccepting()) {
			return;
		}
		this.queue.abort(POLICY_VIOLATION, MESSAGE_CACHE_REASON);
		DdpSession ddp = this.ddpSession;
		if (logger.isInfoEnabled()) {
			logger.info("Closed DDP session " + ((ddp != null) ? ddp.id() : "-") + " over " + this.name + " from "
					+ ((ddp != null) ? ddp.clientAddress() : remoteAddress()) + " with " + POLICY_VIOLATION
					+ ": its client did not fetch its messages before " + capacity
					+ " waited for it (SockJS's message cache, ddp.server.limits.max-queued-messages-per-session)");
		}
		if (ddp != null) {
			this.observer.sendLimitExceeded(ddp, DdpServerObserver.SendLimit.SOCKJS_MESSAGE_CACHE);
			SocketTasks.CLOSER.execute(() -> ddp.close(POLICY_VIOLATION, MESSAGE_CACHE_REASON));
		}
	}

	@Override
	public void closeSocket(int code, String reason, boolean aborted) {
		if (aborted) {
			// Off this thread: the close frame may wait behind a stalled write.
			SocketTasks.CLOSER.execute(() -> closeSession(code, reason));
		}
		else {
			// The last frame is written: the close frame goes out at once, before a
			// graceful shutdown stops the server.
			closeSession(code, reason);
		}
	}

	private void closeSession(int code, String reason) {
		try {
			this.session.close(new CloseStatus(code, reason));
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
