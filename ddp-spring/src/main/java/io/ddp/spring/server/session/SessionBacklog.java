package io.ddp.spring.server.session;

/**
 * Whether the thread running a session's messages has more of them waiting behind the one
 * it runs now. A transport that writes a reply at once when its socket is idle can ask
 * this, and on a busy session leave the reply to share a later write with the replies
 * that follow: with a write per reply, a session with many calls in flight costs a system
 * call per reply.
 *
 * <p>
 * Thread model: set and read on the thread running the session's queue only; any other
 * thread (a fan-out, a timer, a container thread) finds no backlog.
 *
 * @since 0.1.0
 */
public final class SessionBacklog {

	private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

	private SessionBacklog() {
	}

	/**
	 * Return whether the current thread runs a session's message with more of that
	 * session's messages queued behind it (as of when it took the message).
	 * @return {@code true} if more are waiting
	 */
	public static boolean hasMore() {
		return STATE.get().more;
	}

	static State state() {
		return STATE.get();
	}

	static final class State {

		boolean more;

	}

}
