package io.ddp.spring.server.websocket;

import java.lang.reflect.Field;

import jakarta.websocket.RemoteEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The way into Tomcat's WebSocket internals that {@link TomcatAsyncFlush} and
 * {@link TomcatSocketLock} share: the implementation behind a remote endpoint
 * ({@code WsRemoteEndpointBase.base}, a {@code WsRemoteEndpointImplBase}), found by
 * reflection once; absent on any other container.
 *
 * <p>
 * Threads: any; nothing changes after class initialization.
 */
final class TomcatRemoteBase {

	private static final Log logger = LogFactory.getLog(TomcatRemoteBase.class);

	private static final @Nullable Access ACCESS = Access.find();

	private TomcatRemoteBase() {
	}

	/**
	 * Return the implementation behind a remote, if it is Tomcat's.
	 * @param remote the remote
	 * @return the {@code WsRemoteEndpointImplBase}, or {@code null} on another container
	 * or when Tomcat's internals are not as expected
	 */
	static @Nullable Object of(RemoteEndpoint.Async remote) {
		Access access = ACCESS;
		if (access == null || !access.remoteType.isInstance(remote)) {
			return null;
		}
		try {
			return access.base.get(remote);
		}
		catch (IllegalAccessException | RuntimeException ex) {
			logger.debug("Tomcat's remote endpoint implementation unavailable", ex);
			return null;
		}
	}

	private record Access(Class<?> remoteType, Field base) {

		static @Nullable Access find() {
			ClassLoader loader = TomcatRemoteBase.class.getClassLoader();
			try {
				Class<?> remoteBase = Class.forName("org.apache.tomcat.websocket.WsRemoteEndpointBase", false, loader);
				Field base = remoteBase.getDeclaredField("base");
				base.setAccessible(true);
				return new Access(remoteBase, base);
			}
			catch (ClassNotFoundException | LinkageError ex) {
				return null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's remote endpoint implementation unavailable", ex);
				return null;
			}
		}

	}

}
