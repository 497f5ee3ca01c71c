/**
 * Users and resume tokens in PostgreSQL, shared by every instance and kept across
 * restarts; token removals reach every instance through {@code LISTEN}/{@code NOTIFY}.
 */
@NullMarked
package io.ddp.spring.accounts.jdbc;

import org.jspecify.annotations.NullMarked;
