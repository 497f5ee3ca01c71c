package io.ddp.spring.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a connection's status, the Java form of Meteor's {@code Meteor.status()}.
 *
 * @param state the state
 * @param connected whether the DDP handshake completed on the current transport
 * @param retryCount the automatic attempts since the last transport opened
 * @param retryTime when the next attempt is scheduled ({@code null} unless
 * {@link ConnectionState#WAITING})
 * @param reason why the connection failed or last dropped, or {@code null}
 * @since 0.1.0
 */
public record DdpConnectionStatus(ConnectionState state, boolean connected, int retryCount, @Nullable Instant retryTime,
		@Nullable String reason) {

}
