package io.ddp.spring.server;

import java.time.Duration;

/**
 * Settings of the DDP server engine, in the units Meteor uses.
 *
 * @param heartbeatInterval how long a session may be silent before the server pings it;
 * {@link Duration#ZERO} disables heartbeats
 * @param heartbeatTimeout how long the server waits for any message after a ping
 * @param connectTimeout how long a socket may stay open without sending {@code connect}
 * @param forwardedCount how many proxies add to {@code X-Forwarded-For}; 0 uses the
 * socket address
 * @param maxMessageSize largest inbound message in bytes
 * @since 0.1.0
 */
public record DdpServerOptions(Duration heartbeatInterval, Duration heartbeatTimeout, Duration connectTimeout,
		int forwardedCount, long maxMessageSize) {

	/**
	 * Meteor's defaults: 15 s heartbeat interval and timeout, 45 s to connect, no
	 * forwarded hops, 16 MiB messages.
	 * @return the defaults
	 */
	public static DdpServerOptions defaults() {
		return new DdpServerOptions(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(45), 0,
				16L * 1024 * 1024);
	}

}
