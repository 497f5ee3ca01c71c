package io.ddp.spring.server.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.ddp.spring.protocol.DdpFrames;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.DdpConnectionListener;
import io.ddp.spring.server.DdpInputLimits;
import io.ddp.spring.server.DdpServerObserver;
import io.ddp.spring.server.DdpServerOptions;
import io.ddp.spring.server.method.MethodDispatcher;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.publication.PublicationStrategy;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The DDP server engine: opens a {@link DdpSession} for every transport, keeps the open
 * sessions, and owns the timer that runs heartbeats and connect timeouts.
 *
 * <p>
 * Thread-safe. Message handlers run on the given executor (the application task executor
 * under Spring Boot); timers run on one daemon thread, {@code ddp-timer}, which only
 * sends pings and closes dead sessions.
 *
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

	private volatile DdpInputLimits limits = DdpInputLimits.defaults();

	private final AtomicInteger openSockets = new AtomicInteger();

	private final AtomicInteger runningMethods = new AtomicInteger();

	private final DdpServerObserver observer;

	private volatile boolean accepting = true;

	private volatile Function<ClientConnection, @Nullable String> handshakeUserId = (connection) -> null;

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
		this(dispatcher, publications, strategies, executor, options, listeners, DdpServerObserver.NONE);
	}

	/**
	 * Create a server that reports to an observer.
	 * @param dispatcher runs method calls
	 * @param publications the publications
	 * @param strategies the publication strategy of each collection
	 * @param executor runs every session's message queue
	 * @param options the settings
	 * @param listeners told of every new connection
	 * @param observer told of messages, calls and subscriptions (for metrics and
	 * observations)
	 */
	public DdpServer(MethodDispatcher dispatcher, DdpPublicationRegistry publications,
			Function<String, PublicationStrategy> strategies, Executor executor, DdpServerOptions options,
			List<DdpConnectionListener> listeners, DdpServerObserver observer) {
		this.observer = observer;
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
		publications
			.onUniversalRegistered((handler) -> this.sessions.forEach((session) -> session.startUniversal(handler)));
	}

	/**
	 * Start a session on a newly opened transport.
	 * @param transport the transport
	 * @return the session, to which the transport passes inbound messages
	 */
	public DdpSession open(DdpTransport transport) {
		int open = this.openSockets.incrementAndGet();
		DdpSession session = new DdpSession(this, transport);
		if (open > this.limits.maxSessions()) {
			// 1013: the client's reconnect backoff spreads the retries.
			if (logger.isDebugEnabled()) {
				logger.debug("Refusing a " + transport.name() + " socket: " + this.limits.maxSessions()
						+ " sockets are open (ddp.server.limits.max-sessions)");
			}
			this.observer.inputRejected(DdpServerObserver.RejectedInput.TOO_MANY_SESSIONS);
			session.close(1013, "Try again later");
		}
		else if (!this.accepting) {
			// Going away (1001): the client reconnects, to another instance behind the
			// balancer.
			this.observer.inputRejected(DdpServerObserver.RejectedInput.SHUTTING_DOWN);
			session.close(1001, "Server shutting down");
		}
		return session;
	}

	/**
	 * Set the bounds on what clients may make the server hold.
	 * @param limits the limits
	 */
	public void setInputLimits(DdpInputLimits limits) {
		this.limits = limits;
	}

	/**
	 * Return the bounds on what clients may make the server hold.
	 * @return the limits
	 */
	public DdpInputLimits inputLimits() {
		return this.limits;
	}

	void connected(DdpSession session) {
		this.sessions.add(session);
		for (DdpConnectionListener listener : this.listeners) {
			this.executor.execute(() -> {
				try {
					listener.onConnection(session);
				}
				catch (RuntimeException ex) {
					logger.error("DdpConnectionListener " + listener.getClass().getName() + " failed for DDP session "
							+ session.id(), ex);
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
	 * Return the number of method calls that started and have not sent their result.
	 * @return the count
	 */
	public int runningMethodCount() {
		return this.runningMethods.get();
	}

	/**
	 * Whether the server opens sessions for new sockets; {@code false} once a graceful
	 * shutdown began.
	 * @return whether new connections are accepted
	 */
	public boolean isAccepting() {
		return this.accepting;
	}

	/**
	 * Set how a new connection's user id is taken from its handshake, for example the
	 * name of the Spring Security {@code Authentication} that authenticated the upgrade
	 * request. It runs before {@code connected} is sent, so the first method call and the
	 * universal publications already see that user.
	 * @param handshakeUserId returns the user id, or {@code null} to start logged out
	 */
	public void setHandshakeUserId(Function<ClientConnection, @Nullable String> handshakeUserId) {
		this.handshakeUserId = handshakeUserId;
	}

	@Nullable String handshakeUserId(ClientConnection connection) {
		try {
			return this.handshakeUserId.apply(connection);
		}
		catch (RuntimeException ex) {
			logger.error("Could not take the user id of DDP session " + connection.id()
					+ " from its handshake; the session starts logged out", ex);
			return null;
		}
	}

	/**
	 * Return the observer the server reports to.
	 * @return the observer
	 */
	public DdpServerObserver observer() {
		return this.observer;
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

	/**
	 * Return the rate limits of the DDP requests this server serves.
	 * @return the rate limiter
	 */
	public DdpRateLimiter rateLimiter() {
		return this.dispatcher.rateLimiter();
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

	void resumeAccepting() {
		this.accepting = true;
	}

	void methodStarted() {
		this.runningMethods.incrementAndGet();
	}

	void methodFinished() {
		if (this.runningMethods.decrementAndGet() == 0) {
			synchronized (this.runningMethods) {
				this.runningMethods.notifyAll();
			}
		}
	}

	/**
	 * Shut down gracefully, in the spirit of Meteor's {@code ddp-graceful-shutdown}: stop
	 * accepting sockets (new ones are closed with 1001), wait up to {@code awaitMethods}
	 * for running method calls to send their results, then close the open sessions one at
	 * a time, spread evenly over {@code closePeriod}, so that their clients do not all
	 * reconnect at the same moment. Returns at once.
	 * @param awaitMethods the longest time to wait for running methods
	 * @param closePeriod the time over which sessions are closed
	 * @return completes once every session is closed
	 */
	public CompletableFuture<Void> shutdownGracefully(Duration awaitMethods, Duration closePeriod) {
		this.accepting = false;
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				awaitRunningMethods(awaitMethods);
				closeGradually(closePeriod);
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		}, "ddp-shutdown");
		thread.setDaemon(true);
		thread.start();
		return done;
	}

	private void awaitRunningMethods(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.runningMethods) {
			while (this.runningMethods.get() > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					logger.warn("DDP shutdown: " + this.runningMethods.get() + " method call(s) still running after "
							+ timeout + " are cut off: their clients get no result and retry elsewhere. To wait"
							+ " longer, raise the await time (ddp.server.shutdown.await-methods in Spring Boot)");
					return;
				}
				this.runningMethods.wait(left);
			}
		}
	}

	private void closeGradually(Duration period) throws InterruptedException {
		List<DdpSession> open = new ArrayList<>(this.sessions);
		if (open.isEmpty()) {
			return;
		}
		logger.debug("DDP shutdown: closing " + open.size() + " session(s) over " + period);
		long start = System.nanoTime();
		long spacing = period.toNanos() / open.size();
		for (int i = 0; i < open.size(); i++) {
			long wait = start + i * spacing - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			open.get(i).close(1001, "Server shutting down");
		}
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
