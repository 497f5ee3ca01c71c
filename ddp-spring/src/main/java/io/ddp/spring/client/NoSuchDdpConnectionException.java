package io.ddp.spring.client;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;

/**
 * Thrown when something asks for a {@link DdpConnection} by a name that is not configured
 * under {@code ddp.client.connections.<name>}.
 *
 * @since 0.1.0
 */
public class NoSuchDdpConnectionException extends NoSuchBeanDefinitionException {

	private final String connectionName;

	private final String message;

	/**
	 * Create an exception for a connection name.
	 * @param connectionName the name that is not configured
	 * @param requiredBy what needs the connection (for the message)
	 */
	public NoSuchDdpConnectionException(String connectionName, String requiredBy) {
		super(DdpConnection.class, "no connection named '" + connectionName + "'");
		this.connectionName = connectionName;
		this.message = requiredBy + " needs the DDP connection '" + connectionName + "', but 'ddp.client.connections."
				+ connectionName + ".url' is not configured";
	}

	@Override
	public String getMessage() {
		return this.message;
	}

	/**
	 * Return the connection name that is not configured.
	 * @return the name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

}
