package io.ddp.spring.autoconfigure.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.client.DdpClientOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the DDP client: named connections under
 * {@code ddp.client.connections.<name>} and settings shared by all of them under
 * {@code ddp.client.defaults}.
 *
 * <p>
 * Every setting is unset unless configured, so the merge can tell an explicit value from
 * a default: a connection's own value wins, else the value under {@code defaults}, else
 * Meteor's built-in default from {@link DdpClientOptions} and
 * {@link io.ddp.spring.client.ReconnectPolicy#meteorDefaults()}.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ddp.client")
public class DdpClientProperties {

	/**
	 * Settings applied to every connection that does not set them itself.
	 */
	private final ConnectionSettings defaults = new ConnectionSettings();

	/**
	 * Connections by name; each becomes a DdpConnection bean selected with
	 * '@DdpClient("name")'.
	 */
	private Map<String, Connection> connections = new LinkedHashMap<>();

	public ConnectionSettings getDefaults() {
		return this.defaults;
	}

	public Map<String, Connection> getConnections() {
		return this.connections;
	}

	public void setConnections(Map<String, Connection> connections) {
		this.connections = connections;
	}

	/**
	 * The settings a connection shares with {@code ddp.client.defaults}.
	 *
	 * @since 0.1.0
	 */
	public static class ConnectionSettings {

		/**
		 * Transport: 'websocket' (raw WebSocket, as Meteor's Node client) or 'sockjs'.
		 */
		private DdpClientOptions.@Nullable Transport transport;

		/**
		 * Extra headers of the WebSocket upgrade request; merged name by name
		 * (case-insensitively) with the defaults, the connection's value winning.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Time opening the transport and the DDP handshake may take.
		 */
		private @Nullable Duration connectTimeout;

		/**
		 * Time a method call may take before it fails locally with a 'timeout' error.
		 */
		private @Nullable Duration callTimeout;

		/**
		 * Whether to connect on first use instead of when the application starts.
		 */
		private @Nullable Boolean lazy;

		/**
		 * DDP versions to offer, preferred first.
		 */
		private @Nullable List<String> supportedVersions;

		private final Retry retry = new Retry();

		private final Heartbeat heartbeat = new Heartbeat();

		private final Login login = new Login();

		public DdpClientOptions.@Nullable Transport getTransport() {
			return this.transport;
		}

		public void setTransport(DdpClientOptions.@Nullable Transport transport) {
			this.transport = transport;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public @Nullable Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(@Nullable Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

		public @Nullable Boolean getLazy() {
			return this.lazy;
		}

		public void setLazy(@Nullable Boolean lazy) {
			this.lazy = lazy;
		}

		public @Nullable List<String> getSupportedVersions() {
			return this.supportedVersions;
		}

		public void setSupportedVersions(@Nullable List<String> supportedVersions) {
			this.supportedVersions = supportedVersions;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Heartbeat getHeartbeat() {
			return this.heartbeat;
		}

		public Login getLogin() {
			return this.login;
		}

	}

	/**
	 * One named connection: its URL plus the shared settings.
	 *
	 * @since 0.1.0
	 */
	public static class Connection extends ConnectionSettings {

		/**
		 * Server URL: 'ws://host:port/websocket' (or wss) for the raw WebSocket
		 * transport, 'http://host:port/sockjs' (or https) for SockJS. Required. A lazy
		 * connection resolves placeholders at first use, so
		 * 'ws://localhost:${local.server.port}/websocket' reaches the application itself.
		 */
		private @Nullable String url;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

	}

	/**
	 * Reconnecting after the transport was lost, with Meteor's backoff.
	 *
	 * @since 0.1.0
	 */
	public static class Retry {

		/**
		 * Whether to reconnect after the transport was lost; when not, the connection
		 * fails for good.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Base of the exponential backoff.
		 */
		private @Nullable Duration baseDelay;

		/**
		 * Factor by which the delay grows with each attempt.
		 */
		private @Nullable Double multiplier;

		/**
		 * Upper bound of a delay.
		 */
		private @Nullable Duration maxDelay;

		/**
		 * Delay of the first 'min-count' attempts.
		 */
		private @Nullable Duration minDelay;

		/**
		 * Number of first attempts that wait only 'min-delay'.
		 */
		private @Nullable Integer minCount;

		/**
		 * Random spread of each delay: 0.5 means plus or minus 25%.
		 */
		private @Nullable Double jitter;

		/**
		 * Attempts before the connection fails for good; 0 for no limit.
		 */
		private @Nullable Integer maxAttempts;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getBaseDelay() {
			return this.baseDelay;
		}

		public void setBaseDelay(@Nullable Duration baseDelay) {
			this.baseDelay = baseDelay;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(@Nullable Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public @Nullable Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(@Nullable Duration minDelay) {
			this.minDelay = minDelay;
		}

		public @Nullable Integer getMinCount() {
			return this.minCount;
		}

		public void setMinCount(@Nullable Integer minCount) {
			this.minCount = minCount;
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

	}

	/**
	 * Client-side heartbeats.
	 *
	 * @since 0.1.0
	 */
	public static class Heartbeat {

		/**
		 * Time the link may be silent before the client pings; 0 never pings.
		 */
		private @Nullable Duration interval;

		/**
		 * Time to wait for the pong before the link is considered lost.
		 */
		private @Nullable Duration timeout;

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Logging in on connect, and again after every reconnect.
	 *
	 * @since 0.1.0
	 */
	public static class Login {

		/**
		 * Resume token to log in with ('login' with '{"resume": token}').
		 */
		private @Nullable String resumeToken;

		/**
		 * User name (or e-mail address, when it contains '@') to log in with; needs
		 * 'password'.
		 */
		private @Nullable String username;

		/**
		 * Password to log in with, sent as its SHA-256 digest; needs 'username'.
		 */
		private @Nullable String password;

		public @Nullable String getResumeToken() {
			return this.resumeToken;
		}

		public void setResumeToken(@Nullable String resumeToken) {
			this.resumeToken = resumeToken;
		}

		public @Nullable String getUsername() {
			return this.username;
		}

		public void setUsername(@Nullable String username) {
			this.username = username;
		}

		public @Nullable String getPassword() {
			return this.password;
		}

		public void setPassword(@Nullable String password) {
			this.password = password;
		}

	}

}
