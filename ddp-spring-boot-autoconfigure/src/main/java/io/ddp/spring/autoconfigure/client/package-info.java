/**
 * Auto-configuration of the DDP client: the {@code ddp.client.*} properties, one
 * {@link io.ddp.spring.client.DdpConnection} bean per configured connection and their
 * lifecycle.
 */
@NullMarked
package io.ddp.spring.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
