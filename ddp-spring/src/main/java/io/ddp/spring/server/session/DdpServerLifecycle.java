package io.ddp.spring.server.session;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Shuts a {@link DdpServer} down gracefully when the application context stops: see
 * {@link DdpServer#shutdownGracefully(Duration, Duration)}. Its phase, {@link #PHASE}, is
 * above Spring Boot's web server graceful shutdown phase
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}), so it runs first, while the web server
 * still serves the open sockets. The whole shutdown must fit in
 * {@code spring.lifecycle.timeout-per-shutdown-phase} (30 s by default); sessions still
 * open after that are closed when the server bean is destroyed.
 *
 * @since 0.1.0
 */
public class DdpServerLifecycle implements SmartLifecycle {

	/**
	 * The phase: after the web server started, before its graceful shutdown.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(DdpServerLifecycle.class);

	private final DdpServer server;

	private final Duration awaitMethods;

	private final Duration closePeriod;

	private volatile boolean running;

	/**
	 * Create the lifecycle of a server.
	 * @param server the server
	 * @param awaitMethods how long to wait for running method calls
	 * @param closePeriod the time over which open sessions are closed
	 */
	public DdpServerLifecycle(DdpServer server, Duration awaitMethods, Duration closePeriod) {
		this.server = server;
		this.awaitMethods = awaitMethods;
		this.closePeriod = closePeriod;
	}

	@Override
	public void start() {
		// Also after a stop: a restarted context serves again.
		this.server.resumeAccepting();
		this.running = true;
	}

	@Override
	public void stop() {
		throw new UnsupportedOperationException("Stop must not be invoked directly");
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		int sessions = this.server.sessionCount();
		if (sessions > 0 || logger.isDebugEnabled()) {
			logger.info("Shutting down DDP server gracefully: " + sessions + " session(s), "
					+ this.server.runningMethodCount() + " running method call(s)");
		}
		this.server.shutdownGracefully(this.awaitMethods, this.closePeriod).whenComplete((done, error) -> {
			if (error != null) {
				logger.warn("DDP graceful shutdown failed", error);
			}
			callback.run();
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
