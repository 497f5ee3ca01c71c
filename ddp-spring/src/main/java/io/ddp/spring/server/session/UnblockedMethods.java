package io.ddp.spring.server.session;

import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * A session's methods that called {@code unblock()} and have not sent their result. Past
 * the limit an {@code unblock()} is held until one of them finishes: the session's queue
 * does not start its next message meanwhile, so a client cannot run methods without
 * bound, and gets no error, only Meteor's backpressure.
 */
final class UnblockedMethods {

	private final IntSupplier limit;

	// At most one in practice: a held unblock keeps the queue from starting another call.
	private final ArrayDeque<Call> held = new ArrayDeque<>();

	private int running;

	UnblockedMethods(IntSupplier limit) {
		this.limit = limit;
	}

	Call start(Runnable unblock) {
		return new Call(unblock);
	}

	/**
	 * One method call of the session.
	 */
	final class Call {

		private final Runnable unblock;

		private boolean counted;

		private boolean waiting;

		private boolean finished;

		private Call(Runnable unblock) {
			this.unblock = unblock;
		}

		/**
		 * The method called {@code unblock()}: let the next message start now, or once a
		 * slot frees.
		 */
		void unblock() {
			synchronized (UnblockedMethods.this) {
				if (this.counted || this.waiting || this.finished) {
					return;
				}
				if (UnblockedMethods.this.running >= UnblockedMethods.this.limit.getAsInt()) {
					this.waiting = true;
					UnblockedMethods.this.held.add(this);
					return;
				}
				this.counted = true;
				UnblockedMethods.this.running++;
			}
			this.unblock.run();
		}

		/**
		 * The method sent its result: free its slot for a held call.
		 */
		void finished() {
			Call next;
			synchronized (UnblockedMethods.this) {
				if (this.finished) {
					return;
				}
				this.finished = true;
				if (this.waiting) {
					// Its own end lets the queue go on.
					this.waiting = false;
					UnblockedMethods.this.held.remove(this);
					return;
				}
				if (!this.counted) {
					return;
				}
				UnblockedMethods.this.running--;
				next = UnblockedMethods.this.held.poll();
				if (next == null) {
					return;
				}
				next.waiting = false;
				next.counted = true;
				UnblockedMethods.this.running++;
			}
			next.unblock.run();
		}

	}

}
