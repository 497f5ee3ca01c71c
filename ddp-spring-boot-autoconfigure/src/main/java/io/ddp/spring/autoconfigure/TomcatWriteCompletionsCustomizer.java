package io.ddp.spring.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.ddp.spring.server.websocket.TomcatWriteCompletions;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.net.AbstractEndpoint;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;

/**
 * Gives a Tomcat connector a worker pool that runs the completion of a DDP session's
 * write on the thread that wrote, when the socket took the bytes at once
 * ({@link TomcatWriteCompletions}); every other task is queued as Tomcat queues it.
 *
 * <p>
 * The pool is made just before the connector starts, as Tomcat would make its own, from
 * the same settings ({@code server.tomcat.threads.*} end up there), and is then marked as
 * Tomcat's own so that Tomcat stops it, resizes it and reports its size (thread metrics)
 * as before. A connector given an executor (virtual threads), another Tomcat whose
 * internals differ, or another container keep what they have.
 *
 * @since 0.1.0
 */
final class TomcatWriteCompletionsCustomizer implements TomcatConnectorCustomizer {

	private static final Log logger = LogFactory.getLog(TomcatWriteCompletionsCustomizer.class);

	@Override
	public void customize(Connector connector) {
		connector.addLifecycleListener((event) -> {
			if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
				install(connector);
			}
		});
	}

	/**
	 * Give a connector that is about to start the pool.
	 * @param connector the connector
	 * @return whether the pool was installed
	 */
	static boolean install(Connector connector) {
		if (!TomcatWriteCompletions.isAvailable()
				|| !(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)
				|| protocol.getExecutor() != null) {
			return false;
		}
		AbstractEndpoint<?, ?> endpoint = Internals.endpoint(protocol);
		if (endpoint == null || endpoint.getUseVirtualThreads()) {
			return false;
		}
		TaskQueue queue = new TaskQueue(endpoint.getMaxQueueSize());
		TaskThreadFactory threads = new TaskThreadFactory(endpoint.getName() + "-exec-", endpoint.getDaemon(),
				endpoint.getThreadPriority());
		InlineCompletionPool pool = new InlineCompletionPool(endpoint.getMinSpareThreads(), endpoint.getMaxThreads(),
				endpoint.getThreadsMaxIdleTime(), queue, threads);
		queue.setParent(pool);
		endpoint.setExecutor(pool);
		if (!Internals.markInternal(endpoint)) {
			endpoint.setExecutor(null);
			pool.shutdownNow();
			return false;
		}
		TomcatWriteCompletions.poolInstalled();
		logger.debug("Tomcat connector " + endpoint.getName()
				+ ": DDP write completions run on the writing thread (ddp.server.websocket.inline-write-completions)");
		return true;
	}

	/**
	 * Tomcat's worker pool, but a DDP write completion that may run on the calling thread
	 * does.
	 */
	static final class InlineCompletionPool extends ThreadPoolExecutor {

		private final LongAdder inlineCompletions = new LongAdder();

		InlineCompletionPool(int minThreads, int maxThreads, long idleMillis, TaskQueue queue,
				TaskThreadFactory threads) {
			super(minThreads, maxThreads, idleMillis, TimeUnit.MILLISECONDS, queue, threads);
		}

		@Override
		public void execute(Runnable command) {
			if (TomcatWriteCompletions.runIfInline(command)) {
				this.inlineCompletions.increment();
			}
			else {
				super.execute(command);
			}
		}

		/**
		 * Return how many write completions ran on the writing thread so far.
		 * @return the count
		 */
		long inlineCompletions() {
			return this.inlineCompletions.sum();
		}

	}

	// Tomcat's endpoint is reachable from its protocol only through a protected getter,
	// and only a pool Tomcat made itself counts as its own without this flag.
	private record Internals(Method endpointGetter, Field internalExecutor) {

		private static final @Nullable Internals FOUND = find();

		static @Nullable AbstractEndpoint<?, ?> endpoint(AbstractProtocol<?> protocol) {
			Internals internals = FOUND;
			if (internals == null) {
				return null;
			}
			try {
				return (internals.endpointGetter.invoke(protocol) instanceof AbstractEndpoint<?, ?> endpoint) ? endpoint
						: null;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's endpoint not reachable; its worker pool is left as it is", ex);
				return null;
			}
		}

		// Only called after endpoint(..) found the internals.
		static boolean markInternal(AbstractEndpoint<?, ?> endpoint) {
			Internals internals = FOUND;
			if (internals == null) {
				return false;
			}
			try {
				internals.internalExecutor.setBoolean(endpoint, true);
				return true;
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's worker pool flag not settable; its worker pool is left as it is", ex);
				return false;
			}
		}

		private static @Nullable Internals find() {
			try {
				Method getter = AbstractProtocol.class.getDeclaredMethod("getEndpoint");
				getter.setAccessible(true);
				Field internal = AbstractEndpoint.class.getDeclaredField("internalExecutor");
				internal.setAccessible(true);
				return new Internals(getter, internal);
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Tomcat's endpoint or its pool flag not reachable; its worker pool is left as it is", ex);
				return null;
			}
		}

	}

}
