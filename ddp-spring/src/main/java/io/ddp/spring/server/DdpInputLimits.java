package io.ddp.spring.server;

/**
 * Bounds on what clients may make the server hold, each answered clearly when reached.
 * Meteor has none of them; the defaults are far above what a Meteor client does.
 *
 * @param maxSessions open sockets the server accepts; one more is closed at once with
 * 1013 "Try again later"
 * @param maxSubscriptionsPerSession live subscriptions of one session; one more is
 * answered with {@code nosub} and a 429 error
 * @param maxQueuedMessagesPerSession messages of one session waiting for their turn; a
 * client that sends more without waiting for answers is closed with 1008
 * @param maxMethodsInFlightPerSession methods of one session that called
 * {@code unblock()} and have not sent their result; past it an {@code unblock()} waits
 * until one of them finishes, so the next message of the session waits its turn (Meteor's
 * backpressure, bounded) and a client that keeps sending meets the queue limit
 * @param maxDocumentsPerSession documents one session's merge box holds; a subscription
 * that would add one more is stopped with {@code nosub} and a 429 error "Too many
 * documents", and the session keeps working
 * @since 0.1.0
 */
public record DdpInputLimits(int maxSessions, int maxSubscriptionsPerSession, int maxQueuedMessagesPerSession,
		int maxMethodsInFlightPerSession, int maxDocumentsPerSession) {

	/**
	 * The default of {@link #maxSessions()}, and of the container's connection limit a
	 * DDP application sets (each session holds one connection): 20,000.
	 */
	public static final int DEFAULT_MAX_SESSIONS = 20_000;

	/**
	 * The defaults: 20,000 sockets, 10,000 subscriptions, 10,000 queued messages, 1,000
	 * unblocked methods in flight and 100,000 merge-box documents per session.
	 * @return the defaults
	 */
	public static DdpInputLimits defaults() {
		return new DdpInputLimits(DEFAULT_MAX_SESSIONS, 10_000, 10_000, 1_000, 100_000);
	}

}
