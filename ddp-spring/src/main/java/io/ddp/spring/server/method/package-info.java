/**
 * DDP methods: the {@code @DdpMethod} annotation, the method registry, invocation,
 * argument binding, error sanitizing and server-side calls.
 */
@NullMarked
package io.ddp.spring.server.method;

import org.jspecify.annotations.NullMarked;
