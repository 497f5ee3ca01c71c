/**
 * The DDP server engine: sessions, the handshake, each session's ordered message queue
 * and heartbeats. Free of Spring conditions; transports plug in through
 * {@link io.ddp.spring.server.session.DdpTransport}.
 */
@NullMarked
package io.ddp.spring.server.session;

import org.jspecify.annotations.NullMarked;
