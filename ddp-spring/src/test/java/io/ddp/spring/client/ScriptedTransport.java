package io.ddp.spring.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientTransport.Factory} driven by the test: each connection attempt becomes a
 * {@link Link} the test opens, feeds frames to and drops, and whose sent frames it reads.
 * Handler events are called on the test's thread, standing in for the I/O thread.
 */
final class ScriptedTransport implements ClientTransport.Factory {

	private final BlockingQueue<Link> attempts = new LinkedBlockingQueue<>();

	@Override
	public void open(DdpClientOptions options, ClientTransport.Handler handler) {
		this.attempts.add(new Link(handler));
	}

	/**
	 * The next connection attempt, waiting up to five seconds for it.
	 * @return the attempt
	 */
	Link nextAttempt() {
		try {
			Link link = this.attempts.poll(5, TimeUnit.SECONDS);
			if (link == null) {
				throw new AssertionError("The connection made no attempt to connect");
			}
			return link;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	boolean hasAttempt() {
		return !this.attempts.isEmpty();
	}

	/**
	 * One scripted link.
	 */
	static final class Link implements ClientTransport {

		private final ClientTransport.Handler handler;

		private final List<String> sent = new ArrayList<>();

		private final List<String> queued = new ArrayList<>();

		private boolean closed;

		private volatile Runnable onQueue = () -> {
		};

		Link(ClientTransport.Handler handler) {
			this.handler = handler;
		}

		/**
		 * A link nobody listens to, for testing what is sent on it.
		 * @return the link
		 */
		static Link detached() {
			return new Link(new ClientTransport.Handler() {

				@Override
				public void onOpen(ClientTransport transport) {
				}

				@Override
				public void onMessage(String text) {
				}

				@Override
				public void onClose(int code, String reason) {
				}

			});
		}

		Link open() {
			this.handler.onOpen(this);
			return this;
		}

		void receive(String frame) {
			this.handler.onMessage(frame);
		}

		void drop(String reason) {
			this.handler.onClose(1006, reason);
		}

		synchronized List<String> sent() {
			return new ArrayList<>(this.sent);
		}

		synchronized boolean isClosed() {
			return this.closed;
		}

		/**
		 * Write what was queued, as {@link #flush()} does; for tests that call the
		 * connection's parts directly and so stand in for its flush.
		 * @return this link
		 */
		Link flushed() {
			flush();
			return this;
		}

		@Override
		public synchronized void send(String text) {
			flush();
			if (!this.closed) {
				this.sent.add(text);
			}
		}

		/**
		 * Run the given action whenever a frame is queued: the connection queues frames
		 * holding its lock.
		 * @param action the action
		 */
		void onQueue(Runnable action) {
			this.onQueue = action;
		}

		// queued frames show only once flushed, so a path that forgets to flush fails
		@Override
		public synchronized void queue(String text) {
			this.onQueue.run();
			if (!this.closed) {
				this.queued.add(text);
			}
		}

		@Override
		public synchronized void flush() {
			if (!this.closed) {
				this.sent.addAll(this.queued);
			}
			this.queued.clear();
		}

		@Override
		public synchronized void close(int code, String reason) {
			this.closed = true;
		}

		@Override
		public synchronized void abort() {
			this.closed = true;
		}

	}

}
