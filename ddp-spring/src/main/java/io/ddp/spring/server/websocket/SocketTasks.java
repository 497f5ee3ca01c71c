package io.ddp.spring.server.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that do the socket work that may wait on a peer: closing sockets (a
 * close frame waits behind a write in progress) and draining sessions that have only
 * blocking sends. Shared by every session and bounded; idle threads end after a minute.
 */
final class SocketTasks {

	/**
	 * Closes sockets; a close waits at most the send time limit for its peer.
	 */
	static final Executor CLOSER = pool("ddp-close-", 4);

	/**
	 * Drains sessions that have only blocking sends.
	 */
	static final Executor SENDER = pool("ddp-send-", Math.max(8, 4 * Runtime.getRuntime().availableProcessors()));

	private SocketTasks() {
	}

	private static Executor pool(String prefix, int threads) {
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), (runnable) -> {
					Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

}
