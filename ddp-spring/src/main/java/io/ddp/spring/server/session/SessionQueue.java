package io.ddp.spring.server.session;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One session's ordered message queue (Meteor's per-session FIFO): messages run one at a
 * time on the shared executor, and the next starts only when the current one finishes or
 * calls {@link Turn#unblock()}. No thread belongs to a session; an idle queue holds no
 * thread.
 *
 * <p>
 * Thread model: {@link #add} is called from the socket's thread; handlers run on the
 * executor. A message that finishes synchronously lets the same worker continue with the
 * next one, so a busy session costs no thread hand-off per message; while it does, it
 * tells the transport through {@link SessionBacklog} that more replies are coming.
 *
 * @param <M> the message type
 */
final class SessionQueue<M> {

	private static final Log logger = LogFactory.getLog(SessionQueue.class);

	private final Executor executor;

	private final Handler<M> handler;

	private final ArrayDeque<M> pending = new ArrayDeque<>();

	private boolean running;

	SessionQueue(Executor executor, Handler<M> handler) {
		this.executor = executor;
		this.handler = handler;
	}

	void add(M message) {
		synchronized (this) {
			this.pending.add(message);
			if (this.running) {
				return;
			}
			this.running = true;
		}
		schedule();
	}

	/**
	 * Drop the messages not yet handled: the session closed, they would be skipped.
	 */
	void clear() {
		synchronized (this) {
			this.pending.clear();
		}
	}

	int size() {
		synchronized (this) {
			return this.pending.size();
		}
	}

	private void schedule() {
		try {
			this.executor.execute(this::drain);
		}
		catch (RuntimeException ex) {
			// The executor is shutting down: the session goes with it.
			synchronized (this) {
				this.pending.clear();
				this.running = false;
			}
			logger.debug("DDP session queue could not be scheduled", ex);
		}
	}

	private void drain() {
		SessionBacklog.State backlog = SessionBacklog.state();
		try {
			drain(backlog);
		}
		finally {
			backlog.more = false;
		}
	}

	private void drain(SessionBacklog.State backlog) {
		while (true) {
			M message;
			synchronized (this) {
				message = this.pending.poll();
				if (message == null) {
					this.running = false;
					return;
				}
				backlog.more = !this.pending.isEmpty();
			}
			Turn turn = new Turn(Thread.currentThread());
			try {
				this.handler.handle(message, turn);
			}
			catch (Throwable ex) {
				// A handler must never wedge the queue (Meteor's does: ddp-protocol.md
				// 1.8).
				logger.error("DDP message handler failed", ex);
				turn.finish();
			}
			if (!turn.handlerReturned()) {
				return;
			}
		}
	}

	/**
	 * The slot of the message being handled.
	 */
	final class Turn {

		private static final int ACTIVE = 0;

		private static final int RELEASED = 1;

		private static final int DONE_INLINE = 2;

		private static final int RETURNED = 3;

		private final AtomicInteger state = new AtomicInteger(ACTIVE);

		private final Thread worker;

		private Turn(Thread worker) {
			this.worker = worker;
		}

		/**
		 * Let the next message start now, on another worker (idempotent).
		 */
		void unblock() {
			if (this.state.compareAndSet(ACTIVE, RELEASED) || this.state.compareAndSet(RETURNED, RELEASED)) {
				schedule();
			}
		}

		/**
		 * The message is done. On the worker still inside the handler, the worker goes on
		 * to the next message itself; anywhere else this is {@link #unblock()}.
		 */
		void finish() {
			if (Thread.currentThread() == this.worker && this.state.compareAndSet(ACTIVE, DONE_INLINE)) {
				return;
			}
			unblock();
		}

		// Returns whether the worker should take the next message itself.
		private boolean handlerReturned() {
			if (this.state.compareAndSet(ACTIVE, RETURNED)) {
				return false;
			}
			return this.state.get() == DONE_INLINE;
		}

	}

	@FunctionalInterface
	interface Handler<M> {

		void handle(M message, SessionQueue<M>.Turn turn) throws Exception;

	}

}
