/**
 * Stand-ins for {@link io.ddp.spring.client.DdpConnection} in tests of code that uses
 * {@code @DdpClient} connections: a scripted connection whose status a test drives and a
 * recording connection that answers calls with scripted results.
 */
@NullMarked
package io.ddp.spring.test.client;

import org.jspecify.annotations.NullMarked;
