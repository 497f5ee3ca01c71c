/**
 * Queries defined by data, shared by the server's collections and the client's: a
 * {@code Selector} (Meteor's Mongo selector subset, parsed from JSON or built with
 * {@code Criteria}), a {@code Sort} with Minimongo's ordering of mixed types, field
 * projections ({@code Fields}) and the {@code DdpQuery} that combines them with skip and
 * limit. Every type is immutable with structural equality, so that equal queries can
 * share one live query.
 */
@NullMarked
package io.ddp.spring.query;

import org.jspecify.annotations.NullMarked;
