package io.ddp.spring.server.websocket;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes a session's frames with its blocking {@code sendMessage}, on a task of its own
 * on an executor: for sessions without an asynchronous remote (SockJS, other containers).
 * A slow peer holds one of the executor's threads, never the thread that queued the frame
 * (a fan-out serving every other subscriber).
 */
final class ExecutorQueue extends OutboundQueue {

	private final WebSocketSession session;

	private final Executor executor;

	ExecutorQueue(WebSocketSession session, Executor executor, long bufferLimit, long timeLimitNanos,
			Listener listener) {
		super(bufferLimit, timeLimitNanos, listener);
		this.session = session;
		this.executor = executor;
	}

	@Override
	void scheduleDrain() {
		try {
			this.executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			drain();
		}
	}

	@Override
	boolean writesOnSendingThread() {
		// Blocking writes: never on the sender's thread.
		return false;
	}

	@Override
	boolean write(List<String> batch) {
		try {
			for (String frame : batch) {
				this.session.sendMessage(new TextMessage(frame));
			}
		}
		catch (IOException | RuntimeException ex) {
			abort(1011, "Send failed");
		}
		finally {
			written();
		}
		return true;
	}

}
