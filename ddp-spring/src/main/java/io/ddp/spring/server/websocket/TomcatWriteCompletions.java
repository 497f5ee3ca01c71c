package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Lets a Tomcat write that completes inside {@code sendText} tell its sender on the same
 * thread. Tomcat hands the completion of every asynchronous WebSocket write to its worker
 * pool, even when the socket took the bytes at once: a thread wake-up per write, which in
 * a fan-out to thousands of sessions or a reply to a single call costs more than the
 * write. A worker pool that asks {@link #runIfInline} before queueing a task runs such a
 * completion at once instead, on the thread that wrote.
 *
 * <p>
 * Only completions this package asked for are taken, and only one per write: the sender
 * arms its thread around its {@code sendText} or flush ({@link #arm()}), a completion
 * taken disarms it, so a completion that starts another write in turn (Tomcat's own parts
 * of a long message) goes to the pool as before and the stack never grows. Failed writes,
 * completions of writes that finished later on another thread, and everything sent by
 * other code go to the pool as before.
 *
 * @since 0.1.0
 */
public final class TomcatWriteCompletions {

	private static final Log logger = LogFactory.getLog(TomcatWriteCompletions.class);

	private static final ThreadLocal<Sender> SENDER = ThreadLocal.withInitial(Sender::new);

	private static final @Nullable Access ACCESS = Access.find();

	// Set once a pool that asks runIfInline exists in this JVM: until then senders do not
	// arm (Jetty, the switch off, Tomcat's virtual threads)
	private static volatile boolean poolInstalled;

	private TomcatWriteCompletions() {
	}

	/**
	 * Return whether this Tomcat's completions can be recognised at all.
	 * @return {@code true} if {@link #runIfInline} can ever run a task
	 */
	public static boolean isAvailable() {
		return ACCESS != null;
	}

	/**
	 * Record that a worker pool asking {@link #runIfInline} runs in this JVM, so that
	 * senders start arming their threads.
	 */
	public static void poolInstalled() {
		poolInstalled = true;
	}

	/**
	 * Return whether a pool that asks {@link #runIfInline} runs in this JVM; until then
	 * arming a thread is wasted work.
	 * @return whether senders should arm
	 */
	static boolean isPoolInstalled() {
		return poolInstalled;
	}

	/**
	 * Run a task on the calling thread if it is the completion of a write this package
	 * armed the thread for and that succeeded.
	 * @param task a task Tomcat is about to hand to its worker pool
	 * @return {@code true} if the task ran; {@code false} if the pool must run it
	 */
	public static boolean runIfInline(Runnable task) {
		Access access = ACCESS;
		if (access == null || task.getClass() != access.completionType) {
			return false;
		}
		Sender sender = SENDER.get();
		if (!sender.armed || access.failure(task) != null) {
			return false;
		}
		sender.armed = false;
		task.run();
		return true;
	}

	/**
	 * Arm the current thread for the completion of the write it is about to start. Disarm
	 * it with {@link Sender#disarm()} when the write call returns.
	 * @return the thread's sender
	 */
	static Sender arm() {
		Sender sender = SENDER.get();
		sender.armed = true;
		return sender;
	}

	/**
	 * A thread that writes.
	 */
	static final class Sender {

		private boolean armed;

		void disarm() {
			this.armed = false;
		}

	}

	private record Access(Class<?> completionType, MethodHandle failureAccessor) {

		@Nullable Throwable failure(Runnable task) {
			try {
				return (Throwable) this.failureAccessor.invokeExact(task);
			}
			catch (Throwable ex) {
				// Unknown: let the pool run it.
				return ex;
			}
		}

		static @Nullable Access find() {
			try {
				Class<?> type = Class.forName(
						"org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer$OnResultRunnable", false,
						TomcatWriteCompletions.class.getClassLoader());
				Method failure = type.getDeclaredMethod("t");
				failure.setAccessible(true);
				MethodHandle handle = MethodHandles.lookup()
					.unreflect(failure)
					.asType(MethodType.methodType(Throwable.class, Runnable.class));
				return new Access(type, handle);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's write completions not recognised; each is handed to Tomcat's worker pool", ex);
				return null;
			}
		}

	}

}
