package io.ddp.spring.server.session;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.DdpServerObserver.RejectedInput;
import io.ddp.spring.server.method.WriteFence;
import io.ddp.spring.server.publication.SessionSubscriptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The messages a {@link DdpSession} handles in turn on its queue: method calls and
 * subscriptions, each checked, then dispatched, and answered through the session.
 */
final class SessionRequests {

	// The session's own category: these lines are about the session.
	private static final Log logger = LogFactory.getLog(DdpSession.class);

	private static final ArrayNode NO_PARAMS = JsonNodeFactory.instance.arrayNode();

	private final DdpSession session;

	private final DdpServer server;

	private final DdpFrames frames;

	private final DdpServerObserver observer;

	private final SessionSubscriptions subscriptions;

	private final UnblockedMethods unblockedMethods;

	SessionRequests(DdpSession session, DdpServer server, SessionSubscriptions subscriptions) {
		this.session = session;
		this.server = server;
		this.frames = server.frames();
		this.observer = server.observer();
		this.subscriptions = subscriptions;
		this.unblockedMethods = new UnblockedMethods(() -> server.inputLimits().maxMethodsInFlightPerSession());
	}

	void method(JsonNode message, SessionQueue<Object>.Turn turn) {
		JsonNode id = message.get("id");
		JsonNode name = message.get("method");
		JsonNode params = message.get("params");
		JsonNode seed = message.get("randomSeed");
		if (id == null || !id.isString() || name == null || !name.isString() || (params != null && !params.isArray())
				|| (seed != null && !seed.isString())) {
			this.session.reject(RejectedInput.MALFORMED_METHOD, "Malformed method invocation", message);
			turn.finish();
			return;
		}
		String methodId = id.asString();
		UnblockedMethods.Call call = this.unblockedMethods.start(turn::unblock);
		// Counted until the result is sent, so a graceful shutdown can wait for it.
		this.server.methodStarted();
		try {
			this.server.dispatcher()
				.dispatch(this.session, methodId, name.asString(), (params != null) ? (ArrayNode) params : NO_PARAMS,
						(seed != null) ? seed.asString() : null, call::unblock, (resultFrame, fence) -> {
							// At once, or on the store's flushing thread once the writes
							// the method committed before their flush are on disk
							try {
								complete(methodId, resultFrame, fence, turn);
							}
							finally {
								call.finished();
								this.server.methodFinished();
							}
						}, this.observer);
		}
		catch (RuntimeException | Error ex) {
			this.server.methodFinished();
			throw ex;
		}
	}

	// Meteor arms the fence, unblocks, then sends the result; with nothing outstanding
	// the fence fires at once, so "updated" precedes "result" and both leave in one
	// write.
	private void complete(String methodId, String resultFrame, WriteFence fence, SessionQueue<Object>.Turn turn) {
		String updated = this.frames.updated(methodId);
		boolean[] arming = { true, false };
		fence.arm(() -> {
			if (arming[0]) {
				arming[1] = true;
			}
			else {
				this.session.send(updated);
			}
		});
		arming[0] = false;
		if (arming[1]) {
			this.session.send(updated, resultFrame);
		}
		else {
			this.session.send(resultFrame);
		}
		turn.finish();
	}

	void subscribe(JsonNode message, SessionQueue<Object>.Turn turn) {
		JsonNode id = message.get("id");
		JsonNode name = message.get("name");
		JsonNode params = message.get("params");
		if (id == null || !id.isString() || name == null || !name.isString() || (params != null && !params.isArray())) {
			this.session.reject(RejectedInput.MALFORMED_SUBSCRIPTION, "Malformed subscription", message);
			turn.finish();
			return;
		}
		int maxSubscriptions = this.server.inputLimits().maxSubscriptionsPerSession();
		if (this.subscriptions.subscriptionCount() >= maxSubscriptions
				&& !this.subscriptions.hasSubscription(id.asString())) {
			if (logger.isDebugEnabled()) {
				logger.debug("DDP session " + this.session.logId() + " refused subscription " + id.asString()
						+ ": it has " + maxSubscriptions + " (ddp.server.limits.max-subscriptions-per-session)");
			}
			this.observer.inputRejected(RejectedInput.TOO_MANY_SUBSCRIPTIONS);
			this.session.send(this.frames.nosub(id.asString(), new DdpException(429,
					"Too many subscriptions on this connection (at most " + maxSubscriptions + ")")));
			turn.finish();
			return;
		}
		DdpServerObserver.Operation operation = this.observer.subscription(this.session, name.asString(),
				this.server.publications().find(name.asString()) != null);
		// The sub holds the queue until its handler returned, unless it unblocks (1.8).
		// Without params Meteor runs the publication with no arguments (4.2).
		ArrayNode arguments = (params != null) ? (ArrayNode) params : NO_PARAMS;
		this.subscriptions.subscribe(id.asString(), name.asString(), arguments, this.session.userId(), turn::unblock,
				turn::finish, operation);
	}

	void unsubscribe(JsonNode message) {
		JsonNode id = message.get("id");
		if (id != null && !id.isString()) {
			// Meteor wedges the session here (1.8); answer instead.
			this.session.reject(RejectedInput.BAD_REQUEST, "Bad request", message);
			return;
		}
		this.subscriptions.unsubscribe((id != null) ? id.asString() : null);
	}

}
