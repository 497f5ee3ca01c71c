/**
 * Serves DDP sessions over Spring WebSocket: raw WebSocket and SockJS.
 */
@NullMarked
package io.ddp.spring.server.websocket;

import org.jspecify.annotations.NullMarked;
