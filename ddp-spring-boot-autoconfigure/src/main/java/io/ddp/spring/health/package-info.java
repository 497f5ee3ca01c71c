/**
 * Health indicators of the DDP server and of DDP client connections.
 */
@NullMarked
package io.ddp.spring.health;

import org.jspecify.annotations.NullMarked;
