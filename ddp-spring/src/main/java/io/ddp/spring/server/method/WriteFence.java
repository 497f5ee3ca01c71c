package io.ddp.spring.server.method;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Holds a method's {@code updated} message until every data message its writes caused has
 * been sent (Meteor's write fence). Code that publishes changes caused by the current
 * method calls {@link #current()}, {@link #beginWrite()} before queueing the change and
 * {@link Write#committed()} once the resulting messages were sent.
 *
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public final class WriteFence {

	private static final ThreadLocal<WriteFence> CURRENT = new ThreadLocal<>();

	private int outstanding;

	private boolean fired;

	private @Nullable List<Runnable> callbacks;

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
