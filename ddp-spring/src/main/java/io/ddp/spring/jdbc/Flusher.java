package io.ddp.spring.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.ddp.spring.server.method.WriteFence;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the flush barriers that DDP calls' results wait for, so that no method's thread
 * waits for the disk: a write committed before its flush hands its
 * {@link WriteFence.Flush} here and returns. Flushes handed over while a barrier runs
 * share the next one.
 * <p>
 * <b>Threads.</b> {@link #flush} may be called from any thread. Barriers and the fences'
 * callbacks (which send the calls' results) run on one daemon thread,
 * {@code ddp-jdbc-flush}, which ends after 30 idle seconds; after {@link #close()} they
 * run on the caller's thread.
 */
final class Flusher {

	private static final Log logger = LogFactory.getLog(Flusher.class);

	private final FlushBarrier barrier;

	private final ConcurrentLinkedQueue<WriteFence.Flush> queue = new ConcurrentLinkedQueue<>();

	private final ThreadPoolExecutor thread;

	Flusher(FlushBarrier barrier) {
		this.barrier = barrier;
		this.thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), (task) -> {
			Thread flushing = new Thread(task, "ddp-jdbc-flush");
			flushing.setDaemon(true);
			return flushing;
		});
		this.thread.allowCoreThreadTimeOut(true);
	}

	/**
	 * Complete the given flushes once everything committed before this call is on disk.
	 * @param flushes the flushes of writes that committed
	 */
	void flush(List<WriteFence.Flush> flushes) {
		this.queue.addAll(flushes);
		try {
			this.thread.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			drain();
		}
	}

	void close() {
		this.thread.shutdown();
	}

	// Takes everything handed over so far: a task that finds nothing was served by one
	// before it
	private void drain() {
		List<WriteFence.Flush> flushes = new ArrayList<>();
		for (WriteFence.Flush flush = this.queue.poll(); flush != null; flush = this.queue.poll()) {
			flushes.add(flush);
		}
		if (flushes.isEmpty()) {
			return;
		}
		Throwable failure = null;
		try {
			this.barrier.await();
		}
		catch (RuntimeException ex) {
			failure = ex;
		}
		for (WriteFence.Flush flush : flushes) {
			done(flush, failure);
		}
	}

	private static void done(WriteFence.Flush flush, @Nullable Throwable failure) {
		try {
			flush.done(failure);
		}
		catch (RuntimeException ex) {
			logger.warn("A DDP call's result could not be sent after its flush", ex);
		}
	}

}
