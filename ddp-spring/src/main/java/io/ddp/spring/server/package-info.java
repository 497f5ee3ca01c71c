/**
 * The DDP server's public API: the connection handle of a client and connection
 * listeners.
 */
@NullMarked
package io.ddp.spring.server;

import org.jspecify.annotations.NullMarked;
