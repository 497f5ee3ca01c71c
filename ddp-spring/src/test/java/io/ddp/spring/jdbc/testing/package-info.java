/**
 * A real PostgreSQL server for tests, shared by the test JVM.
 */
package io.ddp.spring.jdbc.testing;
