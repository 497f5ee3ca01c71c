package io.ddp.spring.client;

import java.util.List;
import java.util.Objects;

import io.ddp.spring.protocol.DdpVersions;
import org.jspecify.annotations.Nullable;

/**
 * The DDP handshake of one connection (section 4 of the protocol notes): the version to
 * propose in {@code connect}, the session to resume, and what a {@code connected} or
 * {@code failed} answer means: a new session, a resumed one, or another version to try.
 * Not thread-safe: guarded by the connection's lock.
 *
 * @since 0.1.0
 */
final class DdpHandshake {

	private String proposedVersion;

	private @Nullable String version;

	private @Nullable String sessionId;

	// the session of the last link, offered for resumption on the next one
	private @Nullable String lastSessionId;

	DdpHandshake(List<String> supportedVersions) {
		this.proposedVersion = supportedVersions.get(0);
	}

	/**
	 * Return the {@code connect} frame for a link that just opened.
	 * @param frames the frame writer
	 * @param supportedVersions the versions the client speaks, preferred first
	 * @return the frame
	 */
	String connectFrame(ClientFrames frames, List<String> supportedVersions) {
		return frames.connect(this.proposedVersion, supportedVersions, this.lastSessionId);
	}

	/**
	 * The server accepted the handshake.
	 * @param session the server's session id
	 * @return what the answer means
	 */
	Connected connected(@Nullable String session) {
		boolean reconnect = this.lastSessionId != null;
		boolean reset = reconnect && !Objects.equals(session, this.lastSessionId);
		this.lastSessionId = session;
		this.sessionId = session;
		this.version = this.proposedVersion;
		return new Connected(this.proposedVersion, reconnect, reset);
	}

	/**
	 * The server refused the proposed version: pick the one to try next, if any.
	 * @param serverVersion the version the server asked for
	 * @param supportedVersions the versions the client speaks
	 * @return the version proposed on the next link, or {@code null} when none is left
	 */
	@Nullable String versionRefused(@Nullable String serverVersion, List<String> supportedVersions) {
		String retryWith = DdpVersions.retryWith(serverVersion, supportedVersions);
		if (retryWith != null) {
			this.proposedVersion = retryWith;
		}
		return retryWith;
	}

	/** The link dropped: no session until the next {@code connected}. */
	void linkDropped() {
		this.sessionId = null;
	}

	@Nullable String version() {
		return this.version;
	}

	@Nullable String sessionId() {
		return this.sessionId;
	}

	/**
	 * A completed handshake.
	 *
	 * @param version the negotiated version
	 * @param reconnect whether an earlier link had a session
	 * @param reset whether the server started a new session instead of resuming it, so
	 * local data must be replaced
	 */
	record Connected(String version, boolean reconnect, boolean reset) {
	}

}
