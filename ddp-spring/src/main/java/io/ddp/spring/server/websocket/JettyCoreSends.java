package io.ddp.spring.server.websocket;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Text sends through the core session under a Jetty API session, which the API does not
 * offer: a frame can be marked as followed by more, so that Jetty gathers a batch's
 * frames (a method's {@code updated} and {@code result}) into one write instead of
 * writing the first at once, and the payload goes in as UTF-8 bytes encoded once for
 * every session sending the same frame ({@link Utf8Frames}).
 */
final class JettyCoreSends {

	private static final Log logger = LogFactory.getLog(JettyCoreSends.class);

	private static final boolean PRESENT = ClassUtils.isPresent("org.eclipse.jetty.websocket.common.WebSocketSession",
			JettyCoreSends.class.getClassLoader());

	private final CoreSession session;

	private final Callback callback;

	private JettyCoreSends(CoreSession session, Callback callback) {
		this.session = session;
		this.callback = callback;
	}

	/**
	 * Return the core sends under a session, if it is Jetty's own implementation.
	 * @param session the API session
	 * @param sent called once per frame written
	 * @param failed called once per frame that failed
	 * @return the sends, or {@code null} when the core session cannot be reached
	 */
	static @Nullable JettyCoreSends of(Session session, Runnable sent, Consumer<Throwable> failed) {
		if (!PRESENT || !(session instanceof WebSocketSession webSocketSession)) {
			return null;
		}
		try {
			return new JettyCoreSends(webSocketSession.getCoreSession(), Callback.from(sent, failed));
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Jetty's core sends unavailable; Jetty encodes and writes each WebSocket message", ex);
			return null;
		}
	}

	/**
	 * Start sending a text message.
	 * @param utf8 the message's UTF-8 bytes, not changed by the send
	 * @param more whether more frames follow at once: Jetty then holds this one to write
	 * it with them
	 */
	void sendText(byte[] utf8, boolean more) {
		this.session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(utf8)), this.callback, more);
	}

}
