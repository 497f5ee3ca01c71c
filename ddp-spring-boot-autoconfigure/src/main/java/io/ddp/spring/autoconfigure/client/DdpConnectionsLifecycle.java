package io.ddp.spring.autoconfigure.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.client.DdpConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Connects the configured connections when the application context starts and disconnects
 * them when it stops; closing is left to each bean's destroy method.
 *
 * <p>
 * It runs after the embedded web server started and stops before the server's graceful
 * shutdown, so a connection to the application itself finds the server up, and no
 * connection keeps retrying against a server that is going away.
 *
 * @since 0.1.0
 */
final class DdpConnectionsLifecycle implements SmartLifecycle {

	/**
	 * Above Boot's web server phases (started at {@code DEFAULT_PHASE - 2048}, gracefully
	 * shut down at {@code DEFAULT_PHASE - 1024}): started after, stopped before them.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Log logger = LogFactory.getLog(DdpConnectionsLifecycle.class);

	private final BeanFactory beanFactory;

	private final Map<String, Boolean> lazyByBeanName;

	private final List<DdpConnection> disconnected = new ArrayList<>();

	private boolean startedOnce;

	private volatile boolean running;

	/**
	 * Create a lifecycle for the given connection beans.
	 * @param beanFactory the bean factory holding them
	 * @param lazyByBeanName each connection's bean name, mapped to whether it connects
	 * lazily
	 */
	DdpConnectionsLifecycle(BeanFactory beanFactory, Map<String, Boolean> lazyByBeanName) {
		this.beanFactory = beanFactory;
		this.lazyByBeanName = Collections.unmodifiableMap(new LinkedHashMap<>(lazyByBeanName));
	}

	@Override
	public synchronized void start() {
		if (!this.startedOnce) {
			this.startedOnce = true;
			this.lazyByBeanName.forEach((beanName, lazy) -> {
				if (!lazy) {
					this.beanFactory.getBean(beanName, DdpConnection.class).connect();
				}
			});
		}
		else {
			// A restart after stop(): resume the connections stop() took offline.
			for (DdpConnection connection : this.disconnected) {
				connection.reconnect();
			}
		}
		this.disconnected.clear();
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		for (String beanName : this.lazyByBeanName.keySet()) {
			DdpConnection connection = this.beanFactory.getBean(beanName, DdpConnection.class);
			if (connection instanceof LazyConnectingDdpConnection lazy && !lazy.isStarted()) {
				continue;
			}
			try {
				connection.disconnect();
				this.disconnected.add(connection);
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to disconnect DDP connection '" + beanName + "'", ex);
			}
		}
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
