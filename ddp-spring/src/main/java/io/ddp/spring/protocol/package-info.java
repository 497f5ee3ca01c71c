/**
 * The DDP wire protocol: message frames, EJSON on Jackson 3, document-id escaping and
 * Meteor's random ids and seeded streams. Plain classes with no Spring dependencies.
 */
@NullMarked
package io.ddp.spring.protocol;

import org.jspecify.annotations.NullMarked;
