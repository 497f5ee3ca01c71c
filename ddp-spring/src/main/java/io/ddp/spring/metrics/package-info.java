/**
 * Micrometer meter binders for the DDP server and client connections.
 */
@NullMarked
package io.ddp.spring.metrics;

import org.jspecify.annotations.NullMarked;
