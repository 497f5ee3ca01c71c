/**
 * Publications: the per-session merge box that turns what subscriptions publish into the
 * {@code added}, {@code changed} and {@code removed} messages a client sees, and the
 * publication strategies that choose how much of it each collection keeps.
 */
@NullMarked
package io.ddp.spring.server.publication;

import org.jspecify.annotations.NullMarked;
