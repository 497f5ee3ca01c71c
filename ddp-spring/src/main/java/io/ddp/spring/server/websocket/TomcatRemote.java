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
 * Two asynchronous sends of a Tomcat remote that the JSR-356 API lacks, through Tomcat's
 * own (package-private) entry point that queues a message part with a completion handler:
 * <ul>
 * <li>a text message whose UTF-8 bytes are already encoded: a fan-out frame is encoded
 * once for every subscriber ({@link Utf8Frames}) instead of once per session by Tomcat's
 * per-message encoder;</li>
 * <li>a flush of the batch buffer: the API has only a blocking {@code flushBatch()},
 * which would hold the sending thread while a peer does not read.</li>
 * </ul>
 * When that entry point cannot be reached (another Tomcat version, another container),
 * text goes through the standard send and batching is not used.
 */
final class TomcatRemote {

	private static final Log logger = LogFactory.getLog(TomcatRemote.class);

	private static final @Nullable Access ACCESS = Access.find();

	private final MethodHandle startMessage;

	private final byte flushOpCode;

	private final byte textOpCode;

	private final int bufferSize;

	private TomcatRemote(MethodHandle startMessage, byte flushOpCode, byte textOpCode, int bufferSize) {
		this.startMessage = startMessage;
		this.flushOpCode = flushOpCode;
		this.textOpCode = textOpCode;
		this.bufferSize = bufferSize;
	}

	/**
	 * Return the internal sends of a remote, if it is Tomcat's.
	 * @param remote the remote
	 * @return its sends, or {@code null} when the remote is not one this can reach
	 */
	static @Nullable TomcatRemote of(RemoteEndpoint.Async remote) {
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
			return new TomcatRemote(access.startMessage.bindTo(endpoint), access.flushOpCode, access.textOpCode,
					outputBuffer.capacity());
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Tomcat's internal sends unavailable; Tomcat encodes and writes each WebSocket message", ex);
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
	 * Start sending a text message.
	 * @param utf8 the message's UTF-8 bytes, not changed by the send (a buffer of its own
	 * wraps them)
	 * @param handler told when it is written, usually on another thread
	 */
	void sendText(byte[] utf8, SendHandler handler) {
		start(this.textOpCode, ByteBuffer.wrap(utf8), handler);
	}

	/**
	 * Start writing what the batch buffer holds.
	 * @param handler told when it is written, usually on another thread
	 */
	void flush(SendHandler handler) {
		start(this.flushOpCode, null, handler);
	}

	private void start(byte opCode, @Nullable ByteBuffer payload, SendHandler handler) {
		try {
			this.startMessage.invokeExact(opCode, payload, true, handler);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Access(Class<?> remoteType, Field base, Field outputBuffer, MethodHandle startMessage,
			byte flushOpCode, byte textOpCode) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatRemote.class.getClassLoader();
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
				Field text = constants.getDeclaredField("OPCODE_TEXT");
				text.setAccessible(true);
				MethodHandle handle = MethodHandles.lookup().unreflect(start);
				return new Access(remoteBase, base, outputBuffer, handle, flush.getByte(null), text.getByte(null));
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's internal sends unavailable; Tomcat encodes and writes each WebSocket message",
						ex);
				return null;
			}
		}

	}

}
