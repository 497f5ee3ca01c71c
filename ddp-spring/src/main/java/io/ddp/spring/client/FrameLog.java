package io.ddp.spring.client;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs every frame of one connection at TRACE under
 * {@code io.ddp.spring.client.frames.<connection name>} (like python-ddp's {@code debug}
 * option), so one connection's traffic can be switched on alone. Costs one level check
 * per frame when TRACE is off.
 *
 * <p>
 * Threads: frames in are logged on the I/O thread, frames out on whichever thread sends
 * them (a caller, the I/O, timer or callback thread); every send holds the connection's
 * lock, so they are logged in the order the transport gets them.
 *
 * @since 0.1.0
 */
final class FrameLog {

	/** The prefix of the frame loggers' names. */
	static final String LOGGER_PREFIX = "io.ddp.spring.client.frames.";

	private final Log log;

	FrameLog(String connectionName) {
		this.log = LogFactory.getLog(LOGGER_PREFIX + connectionName);
	}

	void received(String text) {
		if (this.log.isTraceEnabled()) {
			this.log.trace("<- " + text);
		}
	}

	void sent(String text) {
		if (this.log.isTraceEnabled()) {
			this.log.trace("-> " + text);
		}
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
