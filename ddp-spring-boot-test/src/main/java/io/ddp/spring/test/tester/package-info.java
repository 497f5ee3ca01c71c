/**
 * {@link io.ddp.spring.test.tester.DdpTester}: calls methods and subscribes to
 * publications of a DDP server with real DDP frames, in process or over a WebSocket, and
 * asserts on what the server sent back.
 */
@NullMarked
package io.ddp.spring.test.tester;

import org.jspecify.annotations.NullMarked;
