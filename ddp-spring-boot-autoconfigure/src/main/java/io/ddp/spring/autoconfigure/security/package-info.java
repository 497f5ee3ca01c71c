/**
 * Auto-configuration of Spring Security for the DDP server.
 */
@NullMarked
package io.ddp.spring.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
