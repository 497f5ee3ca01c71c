package io.ddp.spring.collection;

import io.ddp.spring.server.publication.DocumentSnapshot;

/**
 * One version of a document as a {@link DocumentSource} returns it: its id, the id as it
 * goes on the wire ({@code DocumentIds.stringify(id)}; pass one instance for every
 * version, as merge boxes keep the first), the typed value and one shared snapshot of its
 * fields (without the id).
 *
 * @param <T> the document type
 * @param id the document id
 * @param wireId the id as DDP messages carry it
 * @param value the typed document
 * @param fields the document's EJSON fields, without {@code _id}
 * @since 0.2.0
 */
public record StoredDocument<T>(String id, String wireId, T value, DocumentSnapshot fields) {
}
