package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous flush of a Tomcat remote's batch buffer. The JSR-356 API has only a
 * blocking {@code flushBatch()}, which would hold the sending thread while a peer does
 * not read; Tomcat itself queues a flush as a message part with a completion handler, and
 * this reaches that (package-private) entry point. When it cannot (another Tomcat
 * version, another container), batching is simply not used.
 */
final class TomcatAsyncFlush {

	private static final Log logger = LogFactory.getLog(TomcatAsyncFlush.class);

	private static final String BUFFER_SIZE_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

	private static final @Nullable Access ACCESS = Access.find();

	private final MethodHandle startMessage;

	private final byte flushOpCode;

	private final int bufferSize;

	private TomcatAsyncFlush(MethodHandle startMessage, byte flushOpCode, int bufferSize) {
		this.startMessage = startMessage;
		this.flushOpCode = flushOpCode;
		this.bufferSize = bufferSize;
	}

	/**
	 * Return the flush of a remote, if it is Tomcat's.
	 * @param remote the remote
	 * @return its flush, or {@code null} when the remote is not one this can flush
	 */
	static @Nullable TomcatAsyncFlush of(RemoteEndpoint.Async remote) {
		Access access = ACCESS;
		if (access == null || !access.remoteType.isInstance(remote)) {
			return null;
		}
		try {
			Object endpoint = access.base.get(remote);
			if (endpoint == null) {
				return null;
			}
			// The batch buffer's size: Tomcat reads the same property once.
			int bufferSize = Integer.getInteger(BUFFER_SIZE_PROPERTY, 8 * 1024);
			return new TomcatAsyncFlush(access.startMessage.bindTo(endpoint), access.flushOpCode, bufferSize);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Tomcat's asynchronous flush unavailable; WebSocket messages are written one by one", ex);
			return null;
		}
	}

	/**
	 * Return whether frames fit in the remote's batch buffer together, so that sending
	 * them with batching on copies them without a write.
	 * @param frames the frames
	 * @return whether they fit
	 */
	boolean fits(Iterable<String> frames) {
		long bytes = 0;
		for (String frame : frames) {
			// At most 3 UTF-8 bytes per UTF-16 char; a header of at most 10 bytes.
			bytes += 3L * frame.length() + 10;
		}
		return bytes <= this.bufferSize;
	}

	/**
	 * Start writing what the batch buffer holds.
	 * @param handler told when it is written, usually on another thread
	 */
	void flush(SendHandler handler) {
		try {
			this.startMessage.invokeExact(this.flushOpCode, (@Nullable ByteBuffer) null, true, handler);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Access(Class<?> remoteType, Field base, MethodHandle startMessage, byte flushOpCode) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatAsyncFlush.class.getClassLoader();
			try {
				Class<?> remoteBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase", false, loader);
				Class<?> implBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", false,
						loader);
				Class<?> constants = Class.forName("org.apache.tomcat.websocket.Constants", false, loader);
				Field base = remoteBase.getDeclaredField("base");
				base.setAccessible(true);
				Method start = implBase.getDeclaredMethod("startMessage", byte.class, ByteBuffer.class, boolean.class,
						SendHandler.class);
				start.setAccessible(true);
				Field flush = constants.getDeclaredField("INTERNAL_OPCODE_FLUSH");
				flush.setAccessible(true);
				MethodHandle handle = MethodHandles.lookup().unreflect(start);
				return new Access(remoteBase, base, handle, flush.getByte(null));
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's asynchronous flush unavailable; WebSocket messages are written one by one", ex);
				return null;
			}
		}

	}

}
