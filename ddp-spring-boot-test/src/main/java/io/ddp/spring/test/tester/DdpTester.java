package io.ddp.spring.test.tester;

import java.net.URI;
import java.time.Duration;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.session.DdpServer;
import org.jspecify.annotations.Nullable;

/**
 * Calls methods and subscribes to publications of a DDP server with real DDP frames and
 * asserts on what the server sends back, in the manner of {@code WebTestClient}:
 *
 * <pre class="code">
 * tester.call("todos.add", "Buy milk").result().isEqualTo("t1");
 * tester.call("todos.remove", "nope").error().hasCode(404).hasReason("No such todo");
 * try (SubscriptionSpec todos = tester.subscribe("todos")) {
 *     todos.isReady().added("todos").hasSize(1);
 * }
 * </pre>
 *
 * <p>
 * {@link #call} and {@link #subscribe} each open their own DDP connection (session) with
 * this tester's identity: a call's connection closes once the result arrived, a
 * subscription's when its spec is closed. {@link #connect()} opens one connection for
 * several calls and subscriptions. Two transports stand behind the same API:
 * {@link #inProcess(DdpServer) in process}, with no socket, and {@link #forUrl(URI) over
 * a real WebSocket}.
 *
 * @since 0.1.0
 */
public interface DdpTester {

	/**
	 * Call a method on a new connection and wait for its result and {@code updated}.
	 * @param method the method name
	 * @param args the arguments, converted to EJSON
	 * @return the outcome, to assert on
	 * @throws AssertionError when the result did not arrive in time
	 */
	CallSpec call(String method, @Nullable Object... args);

	/**
	 * Subscribe to a publication on a new connection, which stays open until the returned
	 * spec is closed.
	 * @param publication the publication name
	 * @param args the arguments, converted to EJSON
	 * @return the subscription's frames, to assert on
	 */
	SubscriptionSpec subscribe(String publication, @Nullable Object... args);

	/**
	 * Open one connection, completing the DDP handshake, for several calls and
	 * subscriptions in the same session.
	 * @return the connection, to close after use
	 */
	Connection connect();

	/**
	 * Return a builder that starts from this tester's settings, e.g. for another user.
	 * @return the builder
	 */
	Builder mutate();

	/**
	 * Start building a tester that opens sessions on the server directly: real DDP
	 * frames, no socket. Sessions report the transport {@code in-process}.
	 * @param server the server
	 * @return the builder
	 */
	static Builder inProcess(DdpServer server) {
		return new DefaultDdpTester.DefaultBuilder(server, null);
	}

	/**
	 * Start building a tester that connects over a real WebSocket.
	 * @param url the raw WebSocket endpoint, e.g. {@code ws://localhost:8080/websocket}
	 * @return the builder
	 */
	static Builder forUrl(URI url) {
		return new DefaultDdpTester.DefaultBuilder(null, url);
	}

	/**
	 * Start building a tester that connects over a real WebSocket.
	 * @param url the raw WebSocket endpoint, e.g. {@code ws://localhost:8080/websocket}
	 * @return the builder
	 */
	static Builder forUrl(String url) {
		return forUrl(URI.create(url));
	}

	/**
	 * One DDP connection of a tester. Frames of all its subscriptions arrive on it, so a
	 * subscription's {@code added} and {@code collection} views see every document the
	 * session received since the subscription started.
	 */
	interface Connection extends AutoCloseable {

		/**
		 * Return the session id the server sent in {@code connected}.
		 * @return the session id
		 */
		String sessionId();

		/**
		 * Call a method and wait for its result and {@code updated}.
		 * @param method the method name
		 * @param args the arguments, converted to EJSON
		 * @return the outcome, to assert on
		 */
		CallSpec call(String method, @Nullable Object... args);

		/**
		 * Subscribe to a publication; closing the returned spec unsubscribes.
		 * @param publication the publication name
		 * @param args the arguments, converted to EJSON
		 * @return the subscription's frames, to assert on
		 */
		SubscriptionSpec subscribe(String publication, @Nullable Object... args);

		/**
		 * Close the connection; the server ends the session.
		 */
		@Override
		void close();

	}

	/**
	 * Builds a {@link DdpTester}: who its connections are and how long it waits.
	 */
	interface Builder {

		/**
		 * Log every connection in as this user once the handshake completed, as a login
		 * method would ({@code this.setUserId}). Over a WebSocket this needs the
		 * {@link #server(DdpServer) server} running in the same JVM.
		 * @param userId the user id, {@code null} for none
		 * @return this builder
		 */
		Builder userId(@Nullable String userId);

		/**
		 * Set the client address the server sees ({@code connection.clientAddress}): the
		 * peer address in process; over a WebSocket an {@code X-Forwarded-For} header,
		 * which the server reads only with {@code ddp.server.forwarded-count} of 1 or
		 * more.
		 * @param clientAddress an IP address, {@code null} for the default
		 * @return this builder
		 */
		Builder clientAddress(@Nullable String clientAddress);

		/**
		 * Add a handshake header ({@code connection.httpHeaders} shows those Meteor
		 * exposes).
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 */
		Builder header(String name, String value);

		/**
		 * Set the server in this JVM, which a WebSocket tester needs to log sessions in
		 * as a {@link #userId(String) user}.
		 * @param server the server
		 * @return this builder
		 */
		Builder server(DdpServer server);

		/**
		 * Set the EJSON codec that converts arguments and results, e.g. the application's
		 * {@code Ejson} bean with its custom types; {@link Ejson#createDefault()} if not
		 * set.
		 * @param ejson the codec
		 * @return this builder
		 */
		Builder ejson(Ejson ejson);

		/**
		 * Set how long to wait for a frame; 10 seconds by default.
		 * @param timeout the timeout
		 * @return this builder
		 */
		Builder timeout(Duration timeout);

		/**
		 * Build the tester.
		 * @return the tester
		 */
		DdpTester build();

	}

}
