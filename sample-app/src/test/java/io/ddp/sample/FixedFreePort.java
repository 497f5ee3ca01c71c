package io.ddp.sample;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.util.TestSocketUtils;

/**
 * Runs a test's application on a free loopback port chosen before the context starts: the
 * {@code remote} client connection to the application itself reads its URL (with
 * {@code ${server.port}}) before the web server binds, so {@code server.port=0} cannot
 * work.
 */
public final class FixedFreePort {

	private FixedFreePort() {
	}

	/**
	 * Pick a free port and set {@code server.port} and {@code server.address} to it.
	 * @param registry the test's dynamic properties
	 * @return the port
	 */
	public static int register(DynamicPropertyRegistry registry) {
		int port = TestSocketUtils.findAvailableTcpPort();
		registry.add("server.port", () -> port);
		registry.add("server.address", () -> "127.0.0.1");
		return port;
	}

}
