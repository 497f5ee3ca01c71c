package io.ddp.spring.client;

/**
 * Sees every raw DDP frame a {@link DdpConnection} sends or receives, as its JSON text
 * (Meteor's {@code _stream.on('message')}, for both directions). Frames are delivered in
 * the order the transport sent or received them, on the connection's callback thread, so
 * a slow listener never stalls the socket.
 *
 * @since 0.1.0
 * @see DdpConnection#addFrameListener(DdpFrameListener)
 */
@FunctionalInterface
public interface DdpFrameListener {

	/**
	 * A frame went out or came in.
	 * @param direction whether it was sent or received
	 * @param text the frame's JSON text, exactly as on the wire
	 */
	void onFrame(Direction direction, String text);

	/**
	 * Which way a frame went.
	 */
	enum Direction {

		/** Sent by this client. */
		SENT,

		/** Received from the server. */
		RECEIVED

	}

}
