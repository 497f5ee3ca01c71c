package io.ddp.spring.test.tester;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.test.tester.TesterTransport.Identity;
import io.ddp.spring.test.tester.TesterTransport.Link;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One DDP connection of a tester: the handshake, then method calls and subscriptions with
 * ids of its own.
 */
final class TesterConnection implements DdpTester.Connection {

	private final Link link;

	private final FrameLog log = new FrameLog();

	private final Ejson ejson;

	private final Duration timeout;

	private final AtomicInteger ids = new AtomicInteger();

	private final String sessionId;

	TesterConnection(TesterTransport transport, Identity identity, Ejson ejson, Duration timeout) {
		this.ejson = ejson;
		this.timeout = timeout;
		this.link = transport.open(identity, this.log);
		try {
			this.link.sendToServer(Frames.connect());
			JsonNode answer = this.log.await(0,
					(frame) -> "connected".equals(Frames.msg(frame)) || "failed".equals(Frames.msg(frame)), timeout,
					() -> "'connected' from " + transport);
			if (!"connected".equals(Frames.msg(answer))) {
				throw new AssertionError("The server refused the DDP handshake: " + answer);
			}
			this.sessionId = answer.get("session").asString();
			String userId = identity.userId();
			if (userId != null) {
				this.link.assignUser(this.sessionId, userId);
			}
		}
		catch (RuntimeException | Error ex) {
			this.link.close();
			throw ex;
		}
	}

	@Override
	public String sessionId() {
		return this.sessionId;
	}

	@Override
	public CallSpec call(String method, @Nullable Object... args) {
		String id = String.valueOf(this.ids.incrementAndGet());
		int from = this.log.size();
		this.link.sendToServer(Frames.method(id, method, args, this.ejson));
		JsonNode result = this.log.await(from, (frame) -> Frames.is(frame, "result", id), this.timeout,
				() -> "the result of method '" + method + "'");
		// Once 'updated' arrived, every write of the method reached the subscriptions.
		this.log.await(from, (frame) -> Frames.lists(frame, "updated", "methods", id), this.timeout,
				() -> "'updated' of method '" + method + "'");
		return new CallSpec(method, result, this.ejson);
	}

	@Override
	public SubscriptionSpec subscribe(String publication, @Nullable Object... args) {
		return subscribe(publication, args, false);
	}

	SubscriptionSpec subscribe(String publication, @Nullable Object[] args, boolean ownsConnection) {
		String id = String.valueOf(this.ids.incrementAndGet());
		int from = this.log.size();
		this.link.sendToServer(Frames.sub(id, publication, args, this.ejson));
		return new SubscriptionSpec(this, publication, id, from, ownsConnection);
	}

	// ---- for SubscriptionSpec

	FrameLog log() {
		return this.log;
	}

	Ejson ejson() {
		return this.ejson;
	}

	Duration timeout() {
		return this.timeout;
	}

	void send(String frame) {
		this.link.sendToServer(frame);
	}

	@Override
	public void close() {
		this.link.close();
	}

	@Override
	public String toString() {
		return "DDP tester connection " + this.sessionId;
	}

}
