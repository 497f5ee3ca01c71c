/**
 * Micrometer observations of DDP method calls, subscriptions and client calls: the
 * documentation enums, contexts and replaceable conventions.
 */
@NullMarked
package io.ddp.spring.observation;

import org.jspecify.annotations.NullMarked;
