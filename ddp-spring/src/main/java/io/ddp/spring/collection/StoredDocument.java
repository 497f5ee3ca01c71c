package io.ddp.spring.collection;

import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * One version of a document: its id, the id as it goes on the wire (one instance for
 * every version and every session), the typed value and one shared snapshot of its
 * fields.
 */
record StoredDocument<T>(String id, String wireId, T value, DocumentSnapshot fields) {
}
