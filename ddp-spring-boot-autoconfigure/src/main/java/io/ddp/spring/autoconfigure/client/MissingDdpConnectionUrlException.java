package io.ddp.spring.autoconfigure.client;

/**
 * Thrown when a connection is configured under {@code ddp.client.connections.<name>}
 * without a URL.
 *
 * @since 0.1.0
 */
class MissingDdpConnectionUrlException extends IllegalStateException {

	private final String connectionName;

	private final String property;

	MissingDdpConnectionUrlException(String connectionName, String property) {
		super("DDP connection '" + connectionName + "' has no URL: set '" + property + "'");
		this.connectionName = connectionName;
		this.property = property;
	}

	String getConnectionName() {
		return this.connectionName;
	}

	String getProperty() {
		return this.property;
	}

}
