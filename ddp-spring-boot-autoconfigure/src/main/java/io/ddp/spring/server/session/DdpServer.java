package io.ddp.spring.server.session;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpConnectionListener;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The DDP server engine: opens a {@link DdpSession} for every transport, keeps the open
 * sessions, and owns the timer that runs heartbeats and connect timeouts.
 *
 * <p>Thread-safe. Message handlers run on the given executor (the application task
 * executor under Spring Boot); timers run on one daemon thread, {@code ddp-timer}, which
 * only sends pings and closes dead sessions.
 *
 * @author ddp-spring-boot
 * @since 0.1.0
 */
public class DdpServer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(DdpServer.class);

	private final MethodDispatcher dispatcher;

	private final DdpPublicationRegistry publications;

	private final Function<String, PublicationStrategy> strategies;

	private final Executor executor;

	private final DdpServerOptions options;

	private final List<DdpConnectionListener> listeners;

	private final DdpFrames frames;

	private final ScheduledThreadPoolExecutor timer;

	private final Set<DdpSession> sessions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger openSockets = new AtomicInteger();

	/**
	 * Create a server.
	 * @param dispatcher runs method calls
	 * @param publications the publications
	 * @param strategies the publication strategy of each collection
	 * @param executor runs every session's message queue
	 * @param options the settings
	 * @param listeners told of every new connection
	 */
	public DdpServer(MethodDispatcher dispatcher, DdpPublicationRegistry publications,
			Function<String, PublicationStrategy> strategies, Executor executor, DdpServerOptions options,
			List<DdpConnectionListener> listeners) {
		this.dispatcher = dispatcher;
		this.publications = publications;
		this.strategies = strategies;
		this.executor = executor;
		this.options = options;
		this.listeners = List.copyOf(listeners);
		this.frames = new DdpFrames(dispatcher.ejson());
		this.timer = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, "ddp-timer");
			thread.setDaemon(true);
			return thread;
		});
		// Cancelled heartbeats of closed sessions must not pile up in the timer's queue.
		this.timer.setRemoveOnCancelPolicy(true);
		// Meteor starts a universal publication registered late in every open session.
		publications.onUniversalRegistered((handler) -> this.sessions.forEach((session) -> session.startUniversal(handler)));
	}

	/**
	 * Start a session on a newly opened transport.
	 * @param transport the transport
	 * @return the session, to which the transport passes inbound messages
	 */
	public DdpSession open(DdpTransport transport) {
		this.openSockets.incrementAndGet();
		return new DdpSession(this, transport);
	}

	void connected(DdpSession session) {
		this.sessions.add(session);
		for (DdpConnectionListener listener : this.listeners) {
			this.executor.execute(() -> {
				try {
					listener.onConnection(session);
				}
				catch (RuntimeException ex) {
					logger.error("DDP connection listener failed", ex);
				}
			});
		}
	}

	void closed(DdpSession session) {
		this.sessions.remove(session);
		this.openSockets.decrementAndGet();
	}

	/**
	 * Return the connected sessions.
	 * @return an unmodifiable snapshot
	 */
	public Collection<ClientConnection> connections() {
		return Collections.unmodifiableList(List.copyOf(this.sessions));
	}

	/**
	 * Return the number of sessions that completed the handshake and are open.
	 * @return the count
	 */
	public int sessionCount() {
		return this.sessions.size();
	}

	/**
	 * Return the number of open sockets, including those that have not connected yet.
	 * @return the count
	 */
	public int openSocketCount() {
		return this.openSockets.get();
	}

	/**
	 * Return the settings.
	 * @return the options
	 */
	public DdpServerOptions options() {
		return this.options;
	}

	DdpPublicationRegistry publications() {
		return this.publications;
	}

	Function<String, PublicationStrategy> strategies() {
		return this.strategies;
	}

	MethodDispatcher dispatcher() {
		return this.dispatcher;
	}

	Ejson ejson() {
		return this.dispatcher.ejson();
	}

	DdpFrames frames() {
		return this.frames;
	}

	Executor executor() {
		return this.executor;
	}

	ScheduledExecutorService timer() {
		return this.timer;
	}

	/**
	 * Close every session and stop the timer.
	 */
	@Override
	public void close() {
		for (DdpSession session : List.copyOf(this.sessions)) {
			session.close();
		}
		this.timer.shutdownNow();
	}

}
