package io.ddp.spring.test.autoconfigure;

/**
 * How the auto-configured {@link io.ddp.spring.test.tester.DdpTester} reaches the server.
 *
 * @since 0.1.0
 */
public enum DdpTesterTransport {

	/**
	 * Over a WebSocket when the test runs a server on a port, in process otherwise.
	 */
	AUTO,

	/**
	 * Sessions opened on the {@code DdpServer} bean directly, without a socket.
	 */
	IN_PROCESS,

	/**
	 * A real WebSocket to the running server ({@code local.server.port}).
	 */
	WEBSOCKET

}
