package io.ddp.spring.server.method;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Holds a method's {@code updated} message until every data message its writes caused has
 * been sent (Meteor's write fence). Code that publishes changes caused by the current
 * method calls {@link #current()}, {@link #beginWrite()} before queueing the change and
 * {@link Write#committed()} once the resulting messages were sent.
 *
 * <p>
 * The fence of a client's call can also hold the call's {@code result} until the method's
 * writes are on disk, without holding the method's thread: a store that commits before
 * its flush calls {@link #beginFlush()} and completes the returned {@link Flush} once
 * flushed; the session sends the result after {@link #whenFlushed(Consumer)}.
 *
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class WriteFence {

	private static final ThreadLocal<WriteFence> CURRENT = new ThreadLocal<>();

	private final boolean defersFlush;

	private int outstanding;

	private boolean fired;

	private @Nullable List<Runnable> callbacks;

	// Guarded by this fence: flushes begun and not done, the first failure, and the
	// callback once the result waits for them
	private int unflushed;

	private @Nullable Throwable flushFailure;

	private @Nullable Consumer<@Nullable Throwable> whenFlushed;

	private boolean flushAwaited;

	/**
	 * Create a fence whose writes are on disk when they return.
	 */
	public WriteFence() {
		this(false);
	}

	WriteFence(boolean defersFlush) {
		this.defersFlush = defersFlush;
	}

	/**
	 * Return a fence for a client's call, whose result is sent by code that waits for
	 * {@link #whenFlushed(Consumer)}.
	 * @return the fence
	 */
	static WriteFence deferringFlush() {
		return new WriteFence(true);
	}

	/**
	 * Return the fence of the method running on this thread.
	 * @return the fence, or {@code null} outside a method
	 */
	public static @Nullable WriteFence current() {
		return CURRENT.get();
	}

	static @Nullable WriteFence enter(@Nullable WriteFence fence) {
		WriteFence previous = CURRENT.get();
		if (fence != null) {
			CURRENT.set(fence);
		}
		else {
			CURRENT.remove();
		}
		return previous;
	}

	/**
	 * Start a write that the fence must wait for.
	 * @return the write, to be committed once its messages are sent
	 */
	public synchronized Write beginWrite() {
		if (this.fired) {
			// The method already finished: nothing waits for this write any more.
			return new Write(null);
		}
		this.outstanding++;
		return new Write(this);
	}

	/**
	 * Run the callback once every write begun so far has committed; at once if none is
	 * outstanding.
	 * @param callback what to run, typically sending {@code updated}
	 */
	public void arm(Runnable callback) {
		boolean fireNow;
		synchronized (this) {
			if (this.callbacks == null) {
				this.callbacks = new ArrayList<>(1);
			}
			this.callbacks.add(callback);
			fireNow = (this.outstanding == 0);
			if (fireNow) {
				this.fired = true;
			}
		}
		if (fireNow) {
			fire();
		}
	}

	private void committed() {
		boolean fireNow;
		synchronized (this) {
			this.outstanding--;
			fireNow = (this.outstanding == 0 && this.callbacks != null && !this.fired);
			if (fireNow) {
				this.fired = true;
			}
		}
		if (fireNow) {
			fire();
		}
	}

	private void fire() {
		List<Runnable> toRun;
		synchronized (this) {
			toRun = this.callbacks;
			this.callbacks = null;
		}
		if (toRun != null) {
			toRun.forEach(Runnable::run);
		}
	}

	/**
	 * Return whether the call's result can wait for its writes' flush, so that a store
	 * may let its writer return before (see {@link #beginFlush()}).
	 * @return whether it can
	 */
	public boolean defersFlush() {
		return this.defersFlush;
	}

	/**
	 * Begin waiting for a flush on behalf of the method: its writer may return before its
	 * write is on disk, and the call's result waits instead.
	 * @return the flush to complete, or {@code null} when this fence's result does not
	 * wait (a call from the server itself, or the result is already out): the writer must
	 * then wait for its flush itself
	 */
	public synchronized @Nullable Flush beginFlush() {
		if (!this.defersFlush || this.flushAwaited) {
			return null;
		}
		this.unflushed++;
		return new Flush(this);
	}

	/**
	 * Run the callback once every flush begun so far is done; at once if none is
	 * outstanding. Called once, when the method has returned; flushes begun afterwards
	 * are not waited for (see {@link #beginFlush()}).
	 * @param callback receives {@code null}, or the first flush's failure (whether those
	 * writes are on disk is then unknown)
	 */
	public void whenFlushed(Consumer<@Nullable Throwable> callback) {
		Throwable failure;
		synchronized (this) {
			this.flushAwaited = true;
			if (this.unflushed > 0) {
				this.whenFlushed = callback;
				return;
			}
			failure = this.flushFailure;
		}
		callback.accept(failure);
	}

	private void flushed(@Nullable Throwable failure) {
		Consumer<@Nullable Throwable> callback;
		Throwable first;
		synchronized (this) {
			if (failure != null && this.flushFailure == null) {
				this.flushFailure = failure;
			}
			this.unflushed--;
			if (this.unflushed > 0 || this.whenFlushed == null) {
				return;
			}
			callback = this.whenFlushed;
			this.whenFlushed = null;
			first = this.flushFailure;
		}
		callback.accept(first);
	}

	/**
	 * A flush the call's result waits for.
	 */
	public static final class Flush {

		private @Nullable WriteFence fence;

		private Flush(WriteFence fence) {
			this.fence = fence;
		}

		/**
		 * Mark the flush as done (idempotent).
		 * @param failure {@code null}, or why it failed
		 */
		public void done(@Nullable Throwable failure) {
			WriteFence target;
			synchronized (this) {
				target = this.fence;
				this.fence = null;
			}
			if (target != null) {
				target.flushed(failure);
			}
		}

	}

	/**
	 * One write the fence waits for.
	 */
	public static final class Write {

		private @Nullable WriteFence fence;

		private Write(@Nullable WriteFence fence) {
			this.fence = fence;
		}

		/**
		 * Mark the write's messages as sent (idempotent).
		 */
		public void committed() {
			WriteFence target;
			synchronized (this) {
				target = this.fence;
				this.fence = null;
			}
			if (target != null) {
				target.committed();
			}
		}

	}

}
