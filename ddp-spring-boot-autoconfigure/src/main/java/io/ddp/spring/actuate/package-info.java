/**
 * The {@code ddp} actuator endpoint.
 */
@NullMarked
package io.ddp.spring.actuate;

import org.jspecify.annotations.NullMarked;
