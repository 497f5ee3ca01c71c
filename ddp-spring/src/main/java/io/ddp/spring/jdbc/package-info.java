/**
 * A {@link io.ddp.spring.collection.DocumentStore} on PostgreSQL: collections whose
 * documents outlive a restart and that several instances share live, through
 * {@link io.ddp.spring.jdbc.PostgresDocumentStores}.
 */
@NullMarked
package io.ddp.spring.jdbc;

import org.jspecify.annotations.NullMarked;
