/**
 * Test fixtures shared with other modules through ddp-spring's test-jar.
 */
package io.ddp.spring.server.testing;
