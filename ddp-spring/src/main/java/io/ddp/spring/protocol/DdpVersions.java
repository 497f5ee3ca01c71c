package io.ddp.spring.protocol;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The DDP versions both sides speak and the rules tied to them (ddp-protocol.md 1.2 and
 * 1.5): which version a server picks from a client's {@code support}, which one a client
 * proposes after a {@code failed}, and that {@code pre1} has no heartbeat.
 *
 * @since 0.1.0
 */
public final class DdpVersions {

	/** Meteor's {@code supportedDDPVersions}, preferred first. */
	public static final List<String> SUPPORTED = List.of("1", "pre2", "pre1");

	private DdpVersions() {
	}

	/**
	 * Whether peers speaking the given version exchange heartbeats ({@code pre1} has no
	 * {@code ping}/{@code pong}).
	 * @param version the negotiated version
	 * @return whether heartbeats apply
	 */
	public static boolean hasHeartbeat(@Nullable String version) {
		return !"pre1".equals(version);
	}

	/**
	 * The server's pick: the first version of the client's {@code support} that
	 * {@link #SUPPORTED} holds, or the server's preferred one when none is shared.
	 * @param clientSupport the client's versions, in its order of preference
	 * @return the version the server speaks
	 */
	public static String negotiate(Iterable<String> clientSupport) {
		for (String proposed : clientSupport) {
			if (SUPPORTED.contains(proposed)) {
				return proposed;
			}
		}
		return SUPPORTED.get(0);
	}

	/**
	 * The client's next proposal after the server answered {@code failed}: the server's
	 * version if the client supports it, else none (negotiation failed).
	 * @param serverVersion the {@code version} of the {@code failed} message
	 * @param clientSupport the versions the client supports
	 * @return the version to propose on the next connection, or {@code null}
	 */
	public static @Nullable String retryWith(@Nullable String serverVersion, List<String> clientSupport) {
		return (serverVersion != null && clientSupport.contains(serverVersion)) ? serverVersion : null;
	}

}
