package io.ddp.spring.client;

/**
 * One open link to a DDP server carrying DDP messages as text (a raw WebSocket or a
 * SockJS session). Implementations are thread-safe and keep the order of
 * {@link #send(String)} calls.
 *
 * @since 0.1.0
 */
interface ClientTransport {

	/**
	 * Queue one DDP message. Never blocks for long; a failed write closes the transport,
	 * which is reported through {@link Handler#onClose}.
	 * @param text the message
	 */
	void send(String text);

	/**
	 * Queue one DDP message without writing it yet: the next {@link #flush()} or
	 * {@link #send} writes it, in order. For callers holding the connection's lock, so
	 * that the socket write happens after they release it.
	 * @param text the message
	 */
	default void queue(String text) {
		send(text);
	}

	/**
	 * Write what {@link #queue} left queued.
	 */
	default void flush() {
	}

	/**
	 * Close gracefully with a close frame.
	 * @param code the close code
	 * @param reason the reason
	 */
	void close(int code, String reason);

	/**
	 * Drop the link at once, without a close handshake.
	 */
	void abort();

	/**
	 * Events of a transport. Called on the transport's I/O thread, one at a time.
	 */
	interface Handler {

		/**
		 * The link is open.
		 * @param transport the transport
		 */
		void onOpen(ClientTransport transport);

		/**
		 * A DDP message arrived.
		 * @param text the message
		 */
		void onMessage(String text);

		/**
		 * The link closed, failed, or could not be opened. Called at most once.
		 * @param code the close code, 1006 when there was none
		 * @param reason the reason
		 */
		void onClose(int code, String reason);

	}

	/**
	 * Opens transports.
	 */
	interface Factory {

		/**
		 * Start opening a transport; the outcome is reported to the handler.
		 * @param options the connection options (URL, headers, timeouts)
		 * @param handler the handler
		 */
		void open(DdpClientOptions options, Handler handler);

	}

}
