/**
 * Reactive collections: {@code DdpCollection} and the cursors publications return, kept
 * live for every subscriber through one shared multiplexer per distinct cursor, the
 * {@code ChangeFeed} SPI through which other stores drive the same cursors, and Meteor's
 * collection mutator methods with allow/deny rules.
 */
@NullMarked
package io.ddp.spring.collection;

import org.jspecify.annotations.NullMarked;
