package io.ddp.spring.server.websocket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

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
 *
 * <p>
 * Batching is switched through Tomcat's flag itself, never through
 * {@code setBatchingAllowed}, and is off before the flush starts: turning it off with the
 * setter flushes with a blocking write, and so does Tomcat's own close (a 1007 for a
 * frame that is not UTF-8, on the container thread that read it) when it finds batching
 * on. Such a blocking flush in the middle of an asynchronous one gets none of the care
 * Tomcat gives its close frame (which lets go of the socket while it waits for the write
 * in progress): in our tests it waited on the socket's pending write until the blocking
 * send timeout, or the endpoint was closed under the flush, and the close frame was lost.
 * With the flag off while the flush is in flight, a close waits for it as for any message
 * and its close frame follows.
 */
final class TomcatAsyncFlush {

	private static final Log logger = LogFactory.getLog(TomcatAsyncFlush.class);

	private static final @Nullable Access ACCESS = Access.find();

	// Room left in the batch buffer for control frames Tomcat copies into it while
	// batching is on (a pong: at most 127 bytes).
	private static final int CONTROL_FRAME_ROOM = 256;

	private final MethodHandle startMessage;

	private final byte flushOpCode;

	private final AtomicBoolean batchingAllowed;

	private final int capacity;

	private TomcatAsyncFlush(MethodHandle startMessage, byte flushOpCode, AtomicBoolean batchingAllowed,
			int bufferSize) {
		this.startMessage = startMessage;
		this.flushOpCode = flushOpCode;
		this.batchingAllowed = batchingAllowed;
		this.capacity = bufferSize - CONTROL_FRAME_ROOM;
	}

	/**
	 * Return the flush of a remote, if it is Tomcat's.
	 * @param remote the remote
	 * @return its flush, or {@code null} when the remote is not one this can flush
	 */
	static @Nullable TomcatAsyncFlush of(RemoteEndpoint.Async remote) {
		Access access = ACCESS;
		Object endpoint = (access != null) ? TomcatRemoteBase.of(remote) : null;
		if (access == null || endpoint == null) {
			return null;
		}
		try {
			Object buffer = access.outputBuffer.get(endpoint);
			Object batching = access.batchingAllowed.get(endpoint);
			if (!(buffer instanceof ByteBuffer outputBuffer) || !(batching instanceof AtomicBoolean batchingAllowed)) {
				return null;
			}
			return new TomcatAsyncFlush(access.startMessage.bindTo(endpoint), access.flushOpCode, batchingAllowed,
					outputBuffer.capacity());
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Tomcat's asynchronous flush unavailable; WebSocket messages are written one by one", ex);
			return null;
		}
	}

	/**
	 * Return how many frames, from the given one on, fit in the batch buffer together.
	 * Two or more are worth batching: sent with batching on they are only copied into the
	 * buffer, and leave in one asynchronous write when {@link #flush flushed}. Counting
	 * the bytes a frame takes (never fewer than its UTF-8 encoding), none is ever written
	 * as the buffer fills, which would be an asynchronous write with batching on; a large
	 * frame goes out as its own message.
	 * @param frames the frames
	 * @param from the index of the first frame
	 * @return how many fit, 0 when the first does not fit alone
	 */
	int fitting(List<String> frames, int from) {
		long bytes = 0;
		int count = 0;
		for (int i = from; i < frames.size(); i++) {
			// A header of at most 10 bytes.
			bytes += 10;
			String frame = frames.get(i);
			for (int c = 0; c < frame.length() && bytes <= this.capacity; c++) {
				bytes += utf8Bytes(frame.charAt(c));
			}
			if (bytes > this.capacity) {
				break;
			}
			count++;
		}
		return count;
	}

	// UTF-8 bytes of one UTF-16 char; a surrogate counts 3, so that a pair (4 bytes) and
	// a lone one (whatever replaces it, at most 3) are never undercounted. Counting the
	// most (3 per char) instead cut ASCII batches to a third and tripled the writes.
	private static int utf8Bytes(char c) {
		if (c < 0x80) {
			return 1;
		}
		return (c < 0x800) ? 2 : 3;
	}

	/**
	 * Turn batching on: the frames sent until the next {@link #flush} are copied into the
	 * batch buffer. Only with nothing of the caller's in flight.
	 */
	void startBatch() {
		this.batchingAllowed.set(true);
	}

	/**
	 * Turn batching off, without the blocking flush of {@code setBatchingAllowed}, and
	 * start writing what the batch buffer holds.
	 * @param handler told when it is written, usually on another thread
	 */
	void flush(SendHandler handler) {
		this.batchingAllowed.set(false);
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

	private record Access(Field outputBuffer, Field batchingAllowed, MethodHandle startMessage, byte flushOpCode) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatAsyncFlush.class.getClassLoader();
			try {
				Class<?> implBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointImplBase", false,
						loader);
				Class<?> constants = Class.forName("org.apache.tomcat.websocket.Constants", false, loader);
				Field outputBuffer = implBase.getDeclaredField("outputBuffer");
				outputBuffer.setAccessible(true);
				Field batchingAllowed = implBase.getDeclaredField("batchingAllowed");
				batchingAllowed.setAccessible(true);
				Method start = implBase.getDeclaredMethod("startMessage", byte.class, ByteBuffer.class, boolean.class,
						SendHandler.class);
				start.setAccessible(true);
				Field flush = constants.getDeclaredField("INTERNAL_OPCODE_FLUSH");
				flush.setAccessible(true);
				MethodHandle handle = MethodHandles.lookup().unreflect(start);
				return new Access(outputBuffer, batchingAllowed, handle, flush.getByte(null));
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
