package io.ddp.spring.observation;

/**
 * Context of the observation of one method call a DDP client connection makes.
 *
 * @since 0.1.0
 */
public class DdpClientCallObservationContext extends DdpOperationContext {

	private final String connectionName;

	private final String methodName;

	/**
	 * Create a context.
	 * @param connectionName the connection's configured name
	 * @param methodName the called method (chosen by the application, not by a peer)
	 */
	public DdpClientCallObservationContext(String connectionName, String methodName) {
		this.connectionName = connectionName;
		this.methodName = methodName;
	}

	/**
	 * Return the connection's configured name.
	 * @return the name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the called method.
	 * @return the method name
	 */
	public String getMethodName() {
		return this.methodName;
	}

}
