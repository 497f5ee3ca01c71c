package io.ddp.spring.client;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.ddp.spring.protocol.DdpVersions;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link DdpConnection} is configured with. Immutable; built with
 * {@link #builder(URI)}. The defaults are Meteor's client defaults (section 6.3 of the
 * protocol notes).
 *
 * @since 0.1.0
 */
public final class DdpClientOptions {

	/** Meteor's {@code supportedDDPVersions}, preferred first. */
	public static final List<String> DEFAULT_VERSIONS = DdpVersions.SUPPORTED;

	private final URI url;

	private final Transport transport;

	private final Map<String, String> headers;

	private final ReconnectPolicy retry;

	private final Duration heartbeatInterval;

	private final Duration heartbeatTimeout;

	private final Duration connectTimeout;

	private final Duration callTimeout;

	private final List<String> supportedVersions;

	private final @Nullable String resumeToken;

	private final @Nullable String username;

	private final @Nullable String password;

	private DdpClientOptions(Builder builder) {
		this.url = builder.url;
		this.transport = builder.transport;
		this.headers = Map.copyOf(builder.headers);
		this.retry = builder.retry;
		this.heartbeatInterval = builder.heartbeatInterval;
		this.heartbeatTimeout = builder.heartbeatTimeout;
		this.connectTimeout = builder.connectTimeout;
		this.callTimeout = builder.callTimeout;
		this.supportedVersions = List.copyOf(builder.supportedVersions);
		this.resumeToken = builder.resumeToken;
		this.username = builder.username;
		this.password = builder.password;
	}

	/**
	 * Start building options for a server URL: {@code ws://host:port/websocket} (raw
	 * WebSocket) or {@code http://host:port/sockjs} with {@link Transport#SOCKJS}.
	 * @param url the server URL
	 * @return a builder with Meteor's defaults
	 */
	public static Builder builder(URI url) {
		return new Builder(url);
	}

	/**
	 * @return the server URL
	 */
	public URI url() {
		return this.url;
	}

	/**
	 * Return a copy of these options with another server URL (for the same transport).
	 * @param url the new URL
	 * @return the copy
	 * @since 0.1.0
	 */
	public DdpClientOptions withUrl(URI url) {
		Objects.requireNonNull(url, "url must not be null");
		Builder builder = new Builder(url).transport(this.transport)
			.headers(this.headers)
			.retry(this.retry)
			.heartbeat(this.heartbeatInterval, this.heartbeatTimeout)
			.connectTimeout(this.connectTimeout)
			.callTimeout(this.callTimeout)
			.supportedVersions(this.supportedVersions)
			.resumeToken(this.resumeToken)
			.credentials(this.username, this.password);
		return builder.build();
	}

	/**
	 * @return the transport
	 */
	public Transport transport() {
		return this.transport;
	}

	/**
	 * @return the extra headers of the WebSocket upgrade request
	 */
	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * @return the retry policy
	 */
	public ReconnectPolicy retry() {
		return this.retry;
	}

	/**
	 * @return how long the link may be silent before this client sends a ping, zero for
	 * never
	 */
	public Duration heartbeatInterval() {
		return this.heartbeatInterval;
	}

	/**
	 * @return how long to wait for the pong before the link is considered dead
	 */
	public Duration heartbeatTimeout() {
		return this.heartbeatTimeout;
	}

	/**
	 * @return how long opening a transport and the handshake may take
	 */
	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * @return the default time a call may take before it fails locally with
	 * {@code timeout}
	 */
	public Duration callTimeout() {
		return this.callTimeout;
	}

	/**
	 * @return the DDP versions to offer, preferred first
	 */
	public List<String> supportedVersions() {
		return this.supportedVersions;
	}

	/**
	 * @return the resume token to log in with on connect, or {@code null}
	 */
	public @Nullable String resumeToken() {
		return this.resumeToken;
	}

	/**
	 * @return the user name (or e-mail) to log in with on connect, or {@code null}
	 */
	public @Nullable String username() {
		return this.username;
	}

	/**
	 * @return the password to log in with on connect, or {@code null}
	 */
	public @Nullable String password() {
		return this.password;
	}

	/**
	 * The transports a client can use.
	 */
	public enum Transport {

		/** A raw WebSocket, as Meteor's Node client uses ({@code /websocket}). */
		WEBSOCKET,

		/** SockJS ({@code /sockjs}), over its WebSocket transport with fallbacks. */
		SOCKJS

	}

	/**
	 * Builds {@link DdpClientOptions}.
	 */
	public static final class Builder {

		private final URI url;

		private Transport transport = Transport.WEBSOCKET;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private ReconnectPolicy retry = ReconnectPolicy.meteorDefaults();

		private Duration heartbeatInterval = Duration.ofMillis(17500);

		private Duration heartbeatTimeout = Duration.ofSeconds(15);

		private Duration connectTimeout = Duration.ofSeconds(10);

		private Duration callTimeout = Duration.ofSeconds(60);

		private List<String> supportedVersions = DEFAULT_VERSIONS;

		private @Nullable String resumeToken;

		private @Nullable String username;

		private @Nullable String password;

		private Builder(URI url) {
			this.url = Objects.requireNonNull(url, "url must not be null");
		}

		/**
		 * Set the transport.
		 * @param transport the transport
		 * @return this builder
		 */
		public Builder transport(Transport transport) {
			this.transport = transport;
			return this;
		}

		/**
		 * Add a header to the WebSocket upgrade request.
		 * @param name the header name
		 * @param value the value
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Add headers to the WebSocket upgrade request.
		 * @param headers the headers
		 * @return this builder
		 */
		public Builder headers(Map<String, String> headers) {
			this.headers.putAll(headers);
			return this;
		}

		/**
		 * Set the retry policy.
		 * @param retry the policy
		 * @return this builder
		 */
		public Builder retry(ReconnectPolicy retry) {
			this.retry = retry;
			return this;
		}

		/**
		 * Set the heartbeat interval and timeout.
		 * @param interval silence before a ping, zero to never ping
		 * @param timeout how long to wait for the pong
		 * @return this builder
		 */
		public Builder heartbeat(Duration interval, Duration timeout) {
			this.heartbeatInterval = interval;
			this.heartbeatTimeout = timeout;
			return this;
		}

		/**
		 * Set the connect timeout.
		 * @param connectTimeout the timeout
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * Set the default call timeout.
		 * @param callTimeout the timeout
		 * @return this builder
		 */
		public Builder callTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
			return this;
		}

		/**
		 * Set the DDP versions to offer, preferred first.
		 * @param versions the versions
		 * @return this builder
		 */
		public Builder supportedVersions(List<String> versions) {
			if (versions.isEmpty()) {
				throw new IllegalArgumentException("supportedVersions must not be empty");
			}
			this.supportedVersions = versions;
			return this;
		}

		/**
		 * Log in with a resume token on connect.
		 * @param token the token
		 * @return this builder
		 */
		public Builder resumeToken(@Nullable String token) {
			this.resumeToken = token;
			return this;
		}

		/**
		 * Log in with a user name (or e-mail) and password on connect.
		 * @param username the user name or e-mail
		 * @param password the password
		 * @return this builder
		 */
		public Builder credentials(@Nullable String username, @Nullable String password) {
			this.username = username;
			this.password = password;
			return this;
		}

		/**
		 * Build the options.
		 * @return the options
		 */
		public DdpClientOptions build() {
			return new DdpClientOptions(this);
		}

	}

}
