package io.ddp.spring.client;

import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Every raw frame of one connection, in and out: logged at TRACE under
 * {@code io.ddp.spring.client.frames.<connection name>} (like python-ddp's {@code debug}
 * option), so one connection's traffic can be switched on alone, and handed to the
 * {@link DdpFrameListener}s. Costs one level check and one emptiness check per frame when
 * neither is used.
 *
 * <p>
 * Threads: frames in are seen on the I/O thread, frames out on whichever thread sends
 * them (a caller, the I/O, timer or callback thread); every send holds the connection's
 * lock, so they are seen in the order the transport gets them. Listeners run on the
 * callback thread, queued in that same order.
 *
 * @since 0.1.0
 */
final class FrameLog {

	/** The prefix of the frame loggers' names. */
	static final String LOGGER_PREFIX = "io.ddp.spring.client.frames.";

	private static final Log logger = LogFactory.getLog(FrameLog.class);

	private final String connectionName;

	private final Log log;

	private final CallbackRunner callbacks;

	private final CopyOnWriteArrayList<DdpFrameListener> listeners = new CopyOnWriteArrayList<>();

	FrameLog(String connectionName, CallbackRunner callbacks) {
		this.connectionName = connectionName;
		this.log = LogFactory.getLog(LOGGER_PREFIX + connectionName);
		this.callbacks = callbacks;
	}

	AutoCloseable addListener(DdpFrameListener listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	void received(String text) {
		if (this.log.isTraceEnabled()) {
			this.log.trace("<- " + text);
		}
		publish(DdpFrameListener.Direction.RECEIVED, text);
	}

	void sent(String text) {
		if (this.log.isTraceEnabled()) {
			this.log.trace("-> " + text);
		}
		publish(DdpFrameListener.Direction.SENT, text);
	}

	private void publish(DdpFrameListener.Direction direction, String text) {
		if (this.listeners.isEmpty()) {
			return;
		}
		this.callbacks.execute(() -> {
			for (DdpFrameListener listener : this.listeners) {
				try {
					listener.onFrame(direction, text);
				}
				catch (RuntimeException ex) {
					logger.error("DDP frame listener of connection '" + this.connectionName + "' failed", ex);
				}
			}
		});
	}

	/**
	 * Wrap a transport so that what is sent on it is logged.
	 * @param transport the transport
	 * @return the logging transport
	 */
	ClientTransport wrap(ClientTransport transport) {
		return new ClientTransport() {

			@Override
			public void send(String text) {
				sent(text);
				transport.send(text);
			}

			@Override
			public void queue(String text) {
				sent(text);
				transport.queue(text);
			}

			@Override
			public void flush() {
				transport.flush();
			}

			@Override
			public void close(int code, String reason) {
				transport.close(code, reason);
			}

			@Override
			public void abort() {
				transport.abort();
			}

		};
	}

}
