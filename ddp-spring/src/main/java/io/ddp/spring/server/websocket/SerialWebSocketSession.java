package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * The socket under a SockJS session, written by one thread at a time. A SockJS session
 * writes from several threads: its frames from the session's drain task, heartbeats from
 * a timer, and its close frame ({@code c[code,"reason"]}) from whichever thread closes
 * it. A container refuses a write while another is in progress (Tomcat throws), which
 * lost the close frame. Here a write or close that finds another in progress is queued
 * and done, in order, by the thread in progress when its write ends, so the caller never
 * waits for a slow peer and the peer gets every frame, the close frame last.
 */
final class SerialWebSocketSession extends WebSocketSessionDecorator implements NativeWebSocketSession {

	private static final Log logger = LogFactory.getLog(SerialWebSocketSession.class);

	private final ReentrantLock writing = new ReentrantLock();

	private final ConcurrentLinkedQueue<Write> deferred = new ConcurrentLinkedQueue<>();

	SerialWebSocketSession(WebSocketSession delegate) {
		super(delegate);
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		run(() -> getDelegate().sendMessage(message));
	}

	@Override
	public void close(CloseStatus status) throws IOException {
		run(() -> getDelegate().close(status));
	}

	@Override
	public Object getNativeSession() {
		WebSocketSession delegate = getDelegate();
		return (delegate instanceof NativeWebSocketSession nativeSession) ? nativeSession.getNativeSession() : delegate;
	}

	@Override
	public <T> @Nullable T getNativeSession(@Nullable Class<T> requiredType) {
		WebSocketSession delegate = getDelegate();
		return (delegate instanceof NativeWebSocketSession nativeSession) ? nativeSession.getNativeSession(requiredType)
				: null;
	}

	private void run(Write write) throws IOException {
		if (!this.writing.tryLock()) {
			this.deferred.add(write);
			// The writer may have finished between the tryLock and the add.
			runDeferred();
			return;
		}
		try {
			// Those queued earlier go first.
			runDeferredLocked();
			write.run();
		}
		finally {
			runDeferredLocked();
			this.writing.unlock();
		}
		runDeferred();
	}

	private void runDeferred() {
		while (!this.deferred.isEmpty() && this.writing.tryLock()) {
			try {
				runDeferredLocked();
			}
			finally {
				this.writing.unlock();
			}
		}
	}

	private void runDeferredLocked() {
		Write write;
		while ((write = this.deferred.poll()) != null) {
			try {
				write.run();
			}
			catch (IOException | RuntimeException ex) {
				// Its caller has returned; a failed write ends in the socket's close.
				if (logger.isDebugEnabled()) {
					logger.debug("Queued write failed on socket " + getId(), ex);
				}
			}
		}
	}

	@FunctionalInterface
	private interface Write {

		void run() throws IOException;

	}

}
