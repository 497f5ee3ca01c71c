package io.ddp.spring.accounts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Removes expired login tokens at a fixed interval (Meteor's sweep, every 10 minutes by
 * default), which closes the connections still logged in with them.
 *
 * @since 0.1.0
 */
public class DdpLoginTokenSweeper implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DdpLoginTokenSweeper.class);

	private final DdpAccounts accounts;

	private final Duration interval;

	private @Nullable ScheduledExecutorService executor;

	/**
	 * Create a sweeper.
	 * @param accounts the accounts whose tokens to sweep
	 * @param interval the time between sweeps
	 */
	public DdpLoginTokenSweeper(DdpAccounts accounts, Duration interval) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("The token sweep interval must be positive, was " + interval);
		}
		this.accounts = accounts;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "ddp-login-token-sweep");
			thread.setDaemon(true);
			return thread;
		});
		long millis = this.interval.toMillis();
		executor.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
		this.executor = executor;
	}

	/**
	 * Remove the expired tokens now.
	 */
	public void sweep() {
		try {
			int removed = this.accounts.removeExpiredTokens();
			if (removed > 0 && logger.isDebugEnabled()) {
				logger.debug("Removed " + removed + " expired DDP login tokens");
			}
		}
		catch (RuntimeException ex) {
			logger.error("Removing expired DDP login tokens failed; the next sweep in " + this.interval
					+ " tries again. Check the token store.", ex);
		}
	}

	@Override
	public synchronized void stop() {
		ScheduledExecutorService executor = this.executor;
		if (executor != null) {
			executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
