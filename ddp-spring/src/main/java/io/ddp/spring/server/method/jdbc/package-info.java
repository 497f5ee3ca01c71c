/**
 * Deduplication of DDP method calls a client resends after reconnecting to another
 * instance, through a PostgreSQL table.
 */
@NullMarked
package io.ddp.spring.server.method.jdbc;

import org.jspecify.annotations.NullMarked;
