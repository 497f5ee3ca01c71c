/**
 * Meteor's {@code DDPRateLimiter}: rules that limit how often a connection, a user or a
 * client address may call a method or start a subscription, checked by the server before
 * a known method runs or a found publication starts.
 */
@NullMarked
package io.ddp.spring.server.ratelimit;

import org.jspecify.annotations.NullMarked;
