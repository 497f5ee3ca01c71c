package io.ddp.spring.jdbc;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The state of the connection on which an instance listens for the changes other writers
 * make: while it is down, live queries keep what they have and miss changes; once it is
 * back, they re-read the database and catch up.
 *
 * @param listening whether the connection listens now
 * @param since when it last started or stopped listening
 * @param reconnects how many times it connected again after losing the connection
 * @param lastError why it last lost or failed to open the connection, if it did
 * @since 0.1.0
 */
public record ListenerStatus(boolean listening, Instant since, long reconnects, @Nullable String lastError) {
}
