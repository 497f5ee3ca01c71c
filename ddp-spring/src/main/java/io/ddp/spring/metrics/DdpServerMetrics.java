package io.ddp.spring.metrics;

import java.util.List;
import java.util.function.Supplier;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Meters of a DDP server:
 * <ul>
 * <li>{@code ddp.server.sessions} (gauge, tag {@code transport}: {@code websocket} or
 * {@code sockjs}): connected sessions;
 * <li>{@code ddp.server.messages.received} and {@code ddp.server.messages.sent}
 * (counters, tag {@code type}: one of the DDP message types, anything else
 * {@code other});
 * <li>{@code ddp.server.messages.rejected} (counter, tag {@code reason}): input the
 * server refused ({@link DdpServerObserver.RejectedInput});
 * <li>{@code ddp.server.heartbeat.timeouts} (counter): sessions closed for not answering
 * a ping;
 * <li>{@code ddp.server.sessions.closed} (counter, tag {@code reason}:
 * {@code send-buffer-size-limit}, {@code send-time-limit}, {@code queue-full} or
 * {@code sockjs-message-cache-full}): sessions the server closed because their client
 * read too slowly or sent past its queue;
 * <li>{@code ddp.server.subscriptions.stopped} (counter, tag {@code reason}:
 * {@code too-many-documents}): subscriptions the server stopped because their session
 * passed a limit;
 * <li>{@code ddp.server.mergebox.documents} (gauge): documents the sessions' merge boxes
 * hold, summed over sessions when read;
 * <li>{@code ddp.server.methods.running} (gauge): method calls that have not sent their
 * result.
 * </ul>
 * It is the server's {@link DdpServerObserver} for the counters; meters exist once
 * {@link #bindTo(MeterRegistry) bound}. Tag values come from fixed lists only.
 *
 * @since 0.1.0
 */
public class DdpServerMetrics implements MeterBinder, DdpServerObserver {

	/**
	 * The DDP message types (ddp-protocol.md), the only {@code type} tag values besides
	 * {@code other}.
	 */
	public static final List<String> MESSAGE_TYPES = List.of("connect", "connected", "failed", "ping", "pong", "sub",
			"unsub", "nosub", "added", "changed", "removed", "ready", "addedBefore", "movedBefore", "method", "result",
			"updated", "error");

	private static final String OTHER = "other";

	private static final List<String> TRANSPORTS = List.of("websocket", "sockjs");

	private final Supplier<DdpServer> server;

	private volatile @Nullable Meters meters;

	/**
	 * Create the meters of a server.
	 * @param server supplies the server when a gauge is read (so that the server, which
	 * reports to this object, can be created after it)
	 */
	public DdpServerMetrics(Supplier<DdpServer> server) {
		this.server = server;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String transport : TRANSPORTS) {
			Gauge.builder("ddp.server.sessions", this, (metrics) -> metrics.sessions(transport))
				.tag("transport", transport)
				.description("DDP sessions that completed the handshake and are open")
				.register(registry);
		}
		Gauge.builder("ddp.server.mergebox.documents", this, DdpServerMetrics::mergeBoxDocuments)
			.description("Documents held in the merge boxes of all sessions")
			.register(registry);
		Gauge.builder("ddp.server.methods.running", this, (metrics) -> metrics.server.get().runningMethodCount())
			.description("DDP method calls that have not sent their result")
			.register(registry);
		this.meters = new Meters(registry);
	}

	private double sessions(String transport) {
		int count = 0;
		for (ClientConnection connection : this.server.get().connections()) {
			if (transport.equals(connection.transport())) {
				count++;
			}
		}
		return count;
	}

	private double mergeBoxDocuments() {
		long count = 0;
		for (ClientConnection connection : this.server.get().connections()) {
			if (connection instanceof DdpSession session) {
				count += session.mergeBoxDocumentCount();
			}
		}
		return count;
	}

	@Override
	public void messageReceived(String transport, String type) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.received[typeIndex(type, 0, type.length())].increment();
		}
	}

	@Override
	public void messageSent(String transport, String frame) {
		Meters meters = this.meters;
		if (meters != null) {
			// Every frame the server writes starts with {"msg":"<type>"
			int end = frame.startsWith("{\"msg\":\"") ? frame.indexOf('"', 8) : -1;
			int index = (end > 8) ? typeIndex(frame, 8, end) : MESSAGE_TYPES.size();
			meters.sent[index].increment();
		}
	}

	@Override
	public void inputRejected(RejectedInput reason) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.rejected[reason.ordinal()].increment();
		}
	}

	@Override
	public void heartbeatTimedOut(ClientConnection connection) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.heartbeatTimeouts.increment();
		}
	}

	@Override
	public void sendLimitExceeded(ClientConnection connection, SendLimit limit) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.sendLimitCloses[limit.ordinal()].increment();
		}
	}

	@Override
	public void subscriptionLimitExceeded(ClientConnection connection, SubscriptionLimit limit) {
		Meters meters = this.meters;
		if (meters != null) {
			meters.subscriptionLimitStops[limit.ordinal()].increment();
		}
	}

	// Compares in place: no substring per message.
	private static int typeIndex(String text, int start, int end) {
		int length = end - start;
		for (int i = 0; i < MESSAGE_TYPES.size(); i++) {
			String type = MESSAGE_TYPES.get(i);
			if (type.length() == length && text.regionMatches(start, type, 0, length)) {
				return i;
			}
		}
		return MESSAGE_TYPES.size();
	}

	private static final class Meters {

		final Counter[] received = new Counter[MESSAGE_TYPES.size() + 1];

		final Counter[] sent = new Counter[MESSAGE_TYPES.size() + 1];

		final Counter[] rejected = new Counter[RejectedInput.values().length];

		final Counter heartbeatTimeouts;

		final Counter[] sendLimitCloses = new Counter[SendLimit.values().length];

		final Counter[] subscriptionLimitStops = new Counter[SubscriptionLimit.values().length];

		Meters(MeterRegistry registry) {
			for (int i = 0; i <= MESSAGE_TYPES.size(); i++) {
				String type = (i < MESSAGE_TYPES.size()) ? MESSAGE_TYPES.get(i) : OTHER;
				this.received[i] = Counter.builder("ddp.server.messages.received")
					.tag("type", type)
					.description("DDP messages received from clients")
					.register(registry);
				this.sent[i] = Counter.builder("ddp.server.messages.sent")
					.tag("type", type)
					.description("DDP messages sent to clients")
					.register(registry);
			}
			for (RejectedInput reason : RejectedInput.values()) {
				this.rejected[reason.ordinal()] = Counter.builder("ddp.server.messages.rejected")
					.tag("reason", reason.value())
					.description("Client input the DDP server refused")
					.register(registry);
			}
			this.heartbeatTimeouts = Counter.builder("ddp.server.heartbeat.timeouts")
				.description("DDP sessions closed because the client did not answer a ping")
				.register(registry);
			for (SendLimit limit : SendLimit.values()) {
				this.sendLimitCloses[limit.ordinal()] = Counter.builder("ddp.server.sessions.closed")
					.tag("reason", limit.value())
					.description("DDP sessions closed because their client read too slowly or sent past its queue")
					.register(registry);
			}
			for (SubscriptionLimit limit : SubscriptionLimit.values()) {
				this.subscriptionLimitStops[limit.ordinal()] = Counter.builder("ddp.server.subscriptions.stopped")
					.tag("reason", limit.value())
					.description("DDP subscriptions stopped because their session passed a limit")
					.register(registry);
			}
		}

	}

}
