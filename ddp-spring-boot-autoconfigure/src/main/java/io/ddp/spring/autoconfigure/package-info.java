/**
 * Auto-configuration for the DDP server and client.
 */
@NullMarked
package io.ddp.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
