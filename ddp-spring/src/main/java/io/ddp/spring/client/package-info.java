/**
 * The DDP client: {@link io.ddp.spring.client.DdpConnection} to any DDP server, with
 * Meteor's reconnect, resend and resubscribe rules, login resume and local collections.
 * Plain classes with no Spring conditions; the Spring Boot wiring lives in
 * {@code io.ddp.spring.autoconfigure}.
 */
@NullMarked
package io.ddp.spring.client;

import org.jspecify.annotations.NullMarked;
