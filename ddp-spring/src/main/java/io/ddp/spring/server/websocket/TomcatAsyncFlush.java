package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;

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
			Object buffer = (endpoint != null) ? access.outputBuffer.get(endpoint) : null;
			if (endpoint == null || !(buffer instanceof ByteBuffer outputBuffer)) {
				return null;
			}
			return new TomcatAsyncFlush(access.startMessage.bindTo(endpoint), access.flushOpCode,
					outputBuffer.capacity());
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Tomcat's asynchronous flush unavailable; WebSocket messages are written one by one", ex);
			return null;
		}
	}

	/**
	 * Return whether frames are worth batching: several, each small next to the batch
	 * buffer. Sent with batching on they are copied into the buffer, which is written
	 * only when full (one asynchronous write for many frames) or flushed; a large frame
	 * goes out faster as its own message than through the buffer in parts.
	 * @param frames the frames
	 * @return whether to batch them
	 */
	boolean worthBatching(List<String> frames) {
		if (frames.size() < 2) {
			return false;
		}
		for (String frame : frames) {
			// At most 3 UTF-8 bytes per UTF-16 char, and a header of at most 10 bytes.
			if (3L * frame.length() + 10 > this.bufferSize / 2) {
				return false;
			}
		}
		return true;
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

	private record Access(Class<?> remoteType, Field base, Field outputBuffer, MethodHandle startMessage,
			byte flushOpCode) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatAsyncFlush.class.getClassLoader();
			try {
				Class<?> remoteBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase", false, loader);
				Class<?> implBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", false,
						loader);
				Class<?> constants = Class.forName("org.apache.tomcat.websocket.Constants", false, loader);
				Field base = remoteBase.getDeclaredField("base");
				base.setAccessible(true);
				Field outputBuffer = implBase.getDeclaredField("outputBuffer");
				outputBuffer.setAccessible(true);
				Method start = implBase.getDeclaredMethod("startMessage", byte.class, ByteBuffer.class, boolean.class,
						SendHandler.class);
				start.setAccessible(true);
				Field flush = constants.getDeclaredField("INTERNAL_OPCODE_FLUSH");
				flush.setAccessible(true);
				MethodHandle handle = MethodHandles.lookup().unreflect(start);
				return new Access(remoteBase, base, outputBuffer, handle, flush.getByte(null));
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
