package io.ddp.spring.server.session;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Where a session's client connects from, as Meteor tells a method: the handshake headers
 * Meteor exposes as {@code connection.httpHeaders}, and the client address, read from
 * {@code X-Forwarded-For} behind a known number of proxies.
 */
final class ClientOrigin {

	// The headers Meteor (through SockJS) exposes as connection.httpHeaders.
	private static final Set<String> EXPOSED_HEADERS = Set.of("referer", "x-client-ip", "x-forwarded-for",
			"x-forwarded-host", "x-forwarded-port", "x-cluster-client-ip", "via", "x-real-ip", "x-forwarded-proto",
			"x-ssl", "dnt", "host", "user-agent", "accept-language");

	private ClientOrigin() {
	}

	/**
	 * Return the headers a session exposes, lower-cased, several values joined.
	 * @param headers the handshake headers
	 * @return the exposed ones, read-only
	 */
	static Map<String, String> exposedHeaders(Map<String, List<String>> headers) {
		Map<String, String> exposed = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (EXPOSED_HEADERS.contains(lower) && !values.isEmpty()) {
				exposed.put(lower, String.join(", ", values));
			}
		});
		return Collections.unmodifiableMap(exposed);
	}

	/**
	 * Return the client's address.
	 * @param remote the socket's peer
	 * @param headers the exposed headers
	 * @param forwardedCount the proxies in front of the server, 0 to use the peer
	 * @return the address, {@code null} when unknown
	 */
	static @Nullable String clientAddress(@Nullable InetSocketAddress remote, Map<String, String> headers,
			int forwardedCount) {
		if (forwardedCount <= 0) {
			return (remote != null) ? remote.getAddress().getHostAddress() : null;
		}
		String forwardedFor = headers.get("x-forwarded-for");
		if (forwardedFor == null) {
			return null;
		}
		String[] hops = forwardedFor.split(",");
		int index = hops.length - forwardedCount;
		return (index >= 0) ? hops[index].trim() : null;
	}

}
