package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import tools.jackson.databind.JavaType;

/**
 * Meteor's {@code onReset}: what a connection sends after each transport opens and its
 * {@code connect} went out. Login and the reconnect hooks' calls go first, then the calls
 * and subscriptions of before, then the frames that arrived meanwhile are replayed
 * ({@link IncomingFrames} holds them back); until then other callers' calls wait
 * ({@link OutgoingRequests}).
 *
 * <p>
 * Threads: {@link #startLocked} and {@link #linkDroppedLocked} run holding the link's
 * lock ({@link LinkState#lock}), on the I/O thread (a transport opened) or whichever
 * thread drops the link. {@link #run} runs on the callback thread: it takes the lock for
 * its bookkeeping and releases it while the login is requested and the application's
 * reconnect hooks run (their calls take it). Its state is the reset's fields of
 * {@link LinkState}, guarded by that lock except {@code hookThread} (volatile).
 *
 * @since 0.1.0
 */
final class ConnectionReset {

	private final DdpConnection owner;

	private final LinkState link;

	private final IncomingFrames incoming;

	private final OutgoingRequests requests;

	private final MethodCalls calls;

	private final DataSync data;

	private final ClientLogin login;

	private final ClientListeners listeners;

	private final JavaType objectType;

	ConnectionReset(DdpConnection owner, LinkState link, IncomingFrames incoming, OutgoingRequests requests,
			MethodCalls calls, DataSync data, ClientLogin login, ClientListeners listeners, JavaType objectType) {
		this.owner = owner;
		this.link = link;
		this.incoming = incoming;
		this.requests = requests;
		this.calls = calls;
		this.data = data;
		this.login = login;
		this.listeners = listeners;
		this.objectType = objectType;
	}

	/**
	 * A transport opened and {@code connect} went out: frames and other callers' calls
	 * wait for {@link #run} from now on.
	 * @param gen the generation of the link
	 */
	void startLocked(int gen) {
		this.link.resetInProgress = true;
		this.link.resetGeneration = gen;
	}

	/**
	 * Run the reset of a link, after {@link #startLocked}; on the callback thread.
	 * @param gen the generation of the link
	 */
	void run(int gen) {
		Deque<MethodBlocks.Block> old;
		synchronized (this.link.lock) {
			if (gen != this.link.generation) {
				return;
			}
			old = this.calls.beginResetLocked();
			this.link.hookGeneration = gen;
		}
		this.link.hookThread = Thread.currentThread();
		try {
			ClientLogin.Request login = this.login.requestOnReconnect();
			if (login != null) {
				loginInBackground(login);
			}
			this.listeners.runReconnectHooks(this.owner);
		}
		finally {
			this.link.hookThread = null;
		}
		ClientTransport flushOn;
		synchronized (this.link.lock) {
			flushOn = this.link.transport;
			ClientTransport live = (gen == this.link.generation) ? this.link.transport : null;
			this.calls.restoreLocked(old, live);
			if (this.link.resetGeneration != gen || !this.link.resetInProgress) {
				LinkState.flush(flushOn);
				return;
			}
			this.link.resetInProgress = false;
			this.calls.releaseDeferredLocked(this.link.transport);
			if (live != null) {
				for (ClientSubscription subscription : this.data.subscriptionsLocked()) {
					live.send(subscription.frame);
				}
			}
			List<LinkState.DeferredFrame> frames = new ArrayList<>(this.link.deferredFrames);
			this.link.deferredFrames.clear();
			for (LinkState.DeferredFrame frame : frames) {
				if (frame.generation() == this.link.generation) {
					this.incoming.handleLocked(frame.message());
				}
			}
		}
		LinkState.flush(flushOn);
	}

	/**
	 * The link dropped (holding the lock): a reset still running will not send the calls
	 * it held back, the next one does; the frames held back are stale.
	 */
	void linkDroppedLocked() {
		this.calls.linkDroppedLocked(this.link.resetInProgress);
		this.link.resetInProgress = false;
		this.link.deferredFrames.clear();
	}

	private void loginInBackground(ClientLogin.Request request) {
		MethodInvoker invoker = this.calls.create("login", List.of(request.params()),
				CallOptions.defaults().withWait(true), this.objectType, null, false);
		invoker.future.whenComplete((result, ex) -> this.login.reconnectLoginFinished(request, result, ex));
		this.requests.submit(invoker);
	}

}
