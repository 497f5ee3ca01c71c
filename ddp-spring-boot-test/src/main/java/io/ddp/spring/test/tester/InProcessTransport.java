package io.ddp.spring.test.tester;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.server.session.DdpServer;
import io.ddp.spring.server.session.DdpSession;
import io.ddp.spring.server.session.DdpTransport;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Links that open a {@link DdpSession} on the server directly: the frames are the real
 * DDP messages, only the socket is left out.
 */
final class InProcessTransport implements TesterTransport {

	/** The transport name the sessions report. */
	static final String NAME = "in-process";

	private final DdpServer server;

	private final JsonMapper json;

	InProcessTransport(DdpServer server, JsonMapper json) {
		this.server = server;
		this.json = json;
	}

	@Override
	public Link open(Identity identity, FrameLog log) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		identity.headers().forEach((name, value) -> headers.put(name, List.of(value)));
		String clientAddress = identity.clientAddress();
		int forwardedCount = this.server.options().forwardedCount();
		if (clientAddress != null && forwardedCount > 0) {
			headers.put("x-forwarded-for", List.of(WebSocketTransport.forwardedFor(clientAddress, forwardedCount)));
		}
		InProcessLink link = new InProcessLink(address(clientAddress), headers, log, this.json);
		link.session = this.server.open(link);
		return link;
	}

	private static InetSocketAddress address(@Nullable String clientAddress) {
		try {
			// A literal address is parsed, never looked up.
			InetAddress address = (clientAddress != null) ? InetAddress.getByName(clientAddress)
					: InetAddress.getLoopbackAddress();
			return new InetSocketAddress(address, 0);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("The client address must be an IP address: " + clientAddress, ex);
		}
	}

	@Override
	public String toString() {
		return "in-process DDP server";
	}

	private static final class InProcessLink implements Link, DdpTransport {

		private final InetSocketAddress address;

		private final Map<String, List<String>> headers;

		private final FrameLog log;

		private final JsonMapper json;

		private volatile @Nullable DdpSession session;

		InProcessLink(InetSocketAddress address, Map<String, List<String>> headers, FrameLog log, JsonMapper json) {
			this.address = address;
			this.headers = headers;
			this.log = log;
			this.json = json;
		}

		private DdpSession session() {
			return Objects.requireNonNull(this.session, "The session is not open yet");
		}

		// ---- DdpTransport: the server's side

		@Override
		public void send(String frame) {
			if (this.log.isClosed()) {
				return;
			}
			Frames.receive(this.json.readTree(frame), this.log, this::sendToServer);
		}

		@Override
		public void close(int code, String reason) {
			this.log.closed(code + " " + reason);
		}

		@Override
		public InetSocketAddress remoteAddress() {
			return this.address;
		}

		@Override
		public Map<String, List<String>> handshakeHeaders() {
			return this.headers;
		}

		@Override
		public String name() {
			return NAME;
		}

		// ---- Link: the tester's side

		@Override
		public void sendToServer(String frame) {
			session().receive(frame);
		}

		@Override
		public void assignUser(String sessionId, String userId) {
			session().setUserId(userId);
		}

		@Override
		public void close() {
			this.log.closed("closed by the test");
			session().transportClosed();
		}

	}

}
