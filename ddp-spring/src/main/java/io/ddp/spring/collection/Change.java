package io.ddp.spring.collection;

import org.jspecify.annotations.Nullable;

/**
 * One change of one document, in the order of its collection: the version before
 * ({@code null} for an insert, and when the source does not know it) and the version
 * after ({@code null} for a removal). Cursors compare the version after with what they
 * published, so a change applied twice, or to a cursor that loaded it already, is
 * harmless.
 */
record Change<T>(String id, String wireId, @Nullable StoredDocument<T> before, @Nullable StoredDocument<T> after) {
}
