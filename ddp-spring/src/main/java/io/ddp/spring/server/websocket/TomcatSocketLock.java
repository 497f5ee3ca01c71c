package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.websocket.RemoteEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The lock Tomcat holds on a WebSocket's socket while it processes what the socket
 * received, and the socket's executor. A write started while holding the lock cannot be
 * failed by a close Tomcat starts for bad input before the write's system call returned
 * ({@link AsyncRemoteQueue} says why that matters).
 *
 * <p>
 * Tomcat calls the application (a message, a close) while holding the lock, and the
 * application may take its own locks there; a sender may hold those while it sends. So a
 * sender never waits for this lock: {@link #tryLock()} takes it if it is free, and
 * otherwise the write is handed to the socket's executor ({@link #execute}), whose thread
 * holds none of the application's locks and may wait.
 */
final class TomcatSocketLock implements Executor {

	private static final Log logger = LogFactory.getLog(TomcatSocketLock.class);

	private static final @Nullable Access ACCESS = Access.find();

	private final ReentrantLock lock;

	private final Object socketWrapper;

	private final MethodHandle execute;

	private TomcatSocketLock(ReentrantLock lock, Object socketWrapper, MethodHandle execute) {
		this.lock = lock;
		this.socketWrapper = socketWrapper;
		this.execute = execute;
	}

	/**
	 * Return the socket lock of a remote, if it is Tomcat's server remote.
	 * @param remote the remote
	 * @return its socket's lock, or {@code null} when the remote is not one this knows
	 */
	static @Nullable TomcatSocketLock of(RemoteEndpoint.Async remote) {
		Access access = ACCESS;
		Object endpoint = (access != null) ? TomcatRemoteBase.of(remote) : null;
		if (access == null || !access.serverEndpointType.isInstance(endpoint)) {
			return null;
		}
		try {
			Object socketWrapper = access.socketWrapper.get(endpoint);
			Object lock = (socketWrapper != null) ? access.getLock.invoke(socketWrapper) : null;
			if (socketWrapper == null || !(lock instanceof ReentrantLock socketLock)) {
				return null;
			}
			return new TomcatSocketLock(socketLock, socketWrapper, access.execute);
		}
		catch (Throwable ex) {
			if (ex instanceof Error error && !(ex instanceof LinkageError)) {
				throw error;
			}
			logger.debug("Tomcat's socket lock unavailable; WebSocket writes start without it", ex);
			return null;
		}
	}

	/**
	 * Take the lock if no other thread holds it (this thread may already hold it).
	 * @return whether this thread now holds the lock
	 */
	boolean tryLock() {
		return this.lock.tryLock();
	}

	/**
	 * Take the lock, waiting for it: only on a thread that holds none of the
	 * application's locks (one {@link #execute} runs).
	 */
	void lock() {
		this.lock.lock();
	}

	void unlock() {
		this.lock.unlock();
	}

	/**
	 * Run a task on the socket's executor (Tomcat's worker pool).
	 * @param task the task
	 * @throws RejectedExecutionException when the executor refuses it (shut down)
	 */
	@Override
	public void execute(Runnable task) {
		try {
			this.execute.invokeExact(this.socketWrapper, task);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Access(Class<?> serverEndpointType, Field socketWrapper, MethodHandle getLock,
			MethodHandle execute) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatSocketLock.class.getClassLoader();
			try {
				Class<?> serverEndpoint = Class.forName("org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer",
						false, loader);
				Class<?> wrapperType = Class.forName("org.apache.tomcat.util.net.SocketWrapperBase", false, loader);
				Field socketWrapper = serverEndpoint.getDeclaredField("socketWrapper");
				socketWrapper.setAccessible(true);
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				MethodHandle getLock = lookup.unreflect(wrapperType.getMethod("getLock"))
					.asType(MethodType.methodType(Object.class, Object.class));
				MethodHandle execute = lookup.unreflect(wrapperType.getMethod("execute", Runnable.class))
					.asType(MethodType.methodType(void.class, Object.class, Runnable.class));
				return new Access(serverEndpoint, socketWrapper, getLock, execute);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's socket lock unavailable; WebSocket writes start without it", ex);
				return null;
			}
		}

	}

}
