package io.ddp.spring.client;

/**
 * Creates {@link DdpConnection}s. The auto-configuration creates one connection per
 * configured {@code ddp.client.connections.<name>} through the factory bean; replace the
 * bean to decorate or substitute connections.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpConnectionFactory {

	/**
	 * Create a connection that is not connected yet ({@link DdpConnection#connect()}
	 * starts it).
	 * @param name the connection name
	 * @param options the options
	 * @return the connection
	 */
	DdpConnection create(String name, DdpClientOptions options);

}
