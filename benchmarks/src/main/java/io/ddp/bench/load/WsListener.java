package io.ddp.bench.load;

/** Scenario callbacks, called on the connection's loop thread. */
interface WsListener {

	/** The upgrade succeeded. */
	void onOpen(WsConn conn);

	/** One complete text message; the bytes are only valid during the call. */
	void onText(WsConn conn, byte[] buf, int off, int len);

	/** The socket is closed; {@code error} is null after an orderly close handshake. */
	void onClosed(WsConn conn, String error);

}
