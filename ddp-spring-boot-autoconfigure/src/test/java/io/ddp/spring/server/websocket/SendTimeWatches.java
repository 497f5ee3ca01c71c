package io.ddp.spring.server.websocket;

/**
 * What socket tests outside this package may read of the shared {@link SendTimeWatch}.
 */
public final class SendTimeWatches {

	private SendTimeWatches() {
	}

	/**
	 * Return how many sockets' queues the shared watch checks, in this whole JVM.
	 * @return the count
	 */
	public static int watched() {
		return SendTimeWatch.SHARED.size();
	}

}
