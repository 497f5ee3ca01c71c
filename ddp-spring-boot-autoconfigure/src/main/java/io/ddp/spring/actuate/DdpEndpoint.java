package io.ddp.spring.actuate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.client.DdpConnection;
import io.ddp.spring.client.DdpConnectionStatistics;
import io.ddp.spring.client.DdpConnectionStatus;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.publication.DdpPublicationHandler;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code ddp} actuator endpoint: the server's methods and publications with their
 * Java targets, its open sessions, and the client connections with their status. A
 * {@code DELETE} of {@code /actuator/ddp/{sessionId}} closes one session (its client
 * reconnects, as after any lost connection).
 *
 * @since 0.1.0
 */
@Endpoint(id = "ddp")
public class DdpEndpoint {

	private final @Nullable DdpServer server;

	private final @Nullable DdpMethodRegistry methods;

	private final @Nullable DdpPublicationRegistry publications;

	private final List<DdpConnection> connections;

	/**
	 * Create the endpoint.
	 * @param server the server, or {@code null} in a client-only application
	 * @param methods the server's methods, or {@code null}
	 * @param publications the server's publications, or {@code null}
	 * @param connections the client connections
	 */
	public DdpEndpoint(@Nullable DdpServer server, @Nullable DdpMethodRegistry methods,
			@Nullable DdpPublicationRegistry publications, List<DdpConnection> connections) {
		this.server = server;
		this.methods = methods;
		this.publications = publications;
		this.connections = List.copyOf(connections);
	}

	/**
	 * Describe the server and the client connections.
	 * @return the description
	 */
	@ReadOperation
	public DdpDescriptor ddp() {
		ServerDescriptor server = null;
		if (this.server != null) {
			Map<String, String> methods = new LinkedHashMap<>();
			if (this.methods != null) {
				for (String name : this.methods.names()) {
					DdpMethodHandler handler = this.methods.find(name);
					if (handler != null) {
						methods.put(name, handler.toString());
					}
				}
			}
			Map<String, String> publications = new LinkedHashMap<>();
			List<String> universal = List.of();
			if (this.publications != null) {
				for (String name : this.publications.names()) {
					DdpPublicationHandler handler = this.publications.find(name);
					if (handler != null) {
						publications.put(name, handler.toString());
					}
				}
				universal = this.publications.universal().stream().map(Object::toString).toList();
			}
			List<SessionDescriptor> sessions = new ArrayList<>();
			for (ClientConnection connection : this.server.connections()) {
				sessions.add(SessionDescriptor.of(connection));
			}
			server = new ServerDescriptor(this.server.isAccepting(), this.server.runningMethodCount(), methods,
					publications, universal, this.server.rateLimiter().rules(), sessions);
		}
		Map<String, ClientDescriptor> clients = new LinkedHashMap<>();
		for (DdpConnection connection : this.connections) {
			// A test double (@MockitoBean) may have no name
			clients.put(String.valueOf(connection.name()), ClientDescriptor.of(connection));
		}
		return new DdpDescriptor(server, clients);
	}

	/**
	 * Close one session with 1000 (normal closure); its client reconnects.
	 * @param sessionId the session id
	 * @return whether a session of that id was open and is now closed
	 */
	@DeleteOperation
	public CloseResult closeSession(@Selector String sessionId) {
		if (this.server != null) {
			for (ClientConnection connection : this.server.connections()) {
				if (connection.id().equals(sessionId)) {
					connection.close();
					return new CloseResult(sessionId, true);
				}
			}
		}
		return new CloseResult(sessionId, false);
	}

	/**
	 * The endpoint's answer.
	 *
	 * @param server the server, {@code null} when the application serves no DDP
	 * @param clients the client connections by name
	 * @since 0.1.0
	 */
	public record DdpDescriptor(@Nullable ServerDescriptor server,
			Map<String, ClientDescriptor> clients) implements OperationResponseBody {

	}

	/**
	 * The server.
	 *
	 * @param accepting whether it opens sessions for new sockets (not shutting down)
	 * @param runningMethods method calls without result
	 * @param methods the Java target of every method, by name
	 * @param publications the Java target of every named publication, by name
	 * @param universalPublications the universal publications
	 * @param rateLimits the rate limit rules, with the requests each rejected
	 * @param sessions the open sessions
	 * @since 0.1.0
	 */
	public record ServerDescriptor(boolean accepting, int runningMethods, Map<String, String> methods,
			Map<String, String> publications, List<String> universalPublications,
			List<DdpRateLimiter.RuleDescription> rateLimits, List<SessionDescriptor> sessions) {

	}

	/**
	 * One open session.
	 *
	 * @param id the session id
	 * @param transport {@code websocket} or {@code sockjs}
	 * @param clientAddress the client's address, if known
	 * @param userId the logged-in user, if any
	 * @param connectedAt when the handshake completed
	 * @param version the negotiated DDP version
	 * @param subscriptions the publication name of each subscription, by subscription id
	 * @param mergeBoxDocuments the documents its merge box holds
	 * @since 0.1.0
	 */
	public record SessionDescriptor(String id, String transport, @Nullable String clientAddress,
			@Nullable String userId, Instant connectedAt, @Nullable String version, Map<String, String> subscriptions,
			int mergeBoxDocuments) {

		static SessionDescriptor of(ClientConnection connection) {
			DdpSession session = (connection instanceof DdpSession ddp) ? ddp : null;
			return new SessionDescriptor(connection.id(), connection.transport(), connection.clientAddress(),
					connection.userId(), connection.connectedAt(), (session != null) ? session.version() : null,
					(session != null) ? session.subscriptions() : Map.of(),
					(session != null) ? session.mergeBoxDocumentCount() : 0);
		}

	}

	/**
	 * One client connection.
	 *
	 * @param state the state's Meteor name
	 * @param connected whether the handshake completed on the current transport
	 * @param retryCount automatic attempts since the last transport opened
	 * @param nextRetry when the next attempt is scheduled
	 * @param reason why it failed or last dropped
	 * @param version the negotiated DDP version
	 * @param sessionId the server's session id
	 * @param userId the logged-in user
	 * @param activeCalls calls without result, when the connection counts them
	 * @param subscriptions live subscriptions, when the connection counts them
	 * @since 0.1.0
	 */
	public record ClientDescriptor(String state, boolean connected, int retryCount, @Nullable Instant nextRetry,
			@Nullable String reason, @Nullable String version, @Nullable String sessionId, @Nullable String userId,
			@Nullable Integer activeCalls, @Nullable Integer subscriptions) {

		static ClientDescriptor of(DdpConnection connection) {
			DdpConnectionStatus status = connection.status();
			if (status == null) {
				// A test double (@MockitoBean) may report no status at all
				return new ClientDescriptor("unknown", false, 0, null, null, null, null, null, null, null);
			}
			DdpConnectionStatistics statistics = (connection instanceof DdpConnectionStatistics s) ? s : null;
			return new ClientDescriptor(status.state().meteorName(), status.connected(), status.retryCount(),
					status.retryTime(), status.reason(), connection.version(), connection.sessionId(),
					connection.userId(), (statistics != null) ? statistics.activeCallCount() : null,
					(statistics != null) ? statistics.subscriptionCount() : null);
		}

	}

	/**
	 * The answer to closing a session.
	 *
	 * @param sessionId the session id
	 * @param closed whether it was closed
	 * @since 0.1.0
	 */
	public record CloseResult(String sessionId, boolean closed) implements OperationResponseBody {

	}

}
