package io.ddp.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the {@code ddp} health contributor.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("management.health.ddp")
public class DdpHealthProperties {

	/**
	 * Time a client connection that was connected may spend reconnecting and still report
	 * UP; also the time a new connection has for its first handshake before it reports
	 * DOWN instead of OUT_OF_SERVICE.
	 */
	private Duration gracePeriod = Duration.ofSeconds(30);

	private final Server server = new Server();

	/**
	 * Health settings per client connection name: "enabled" (whether to report that
	 * connection, default true) and "grace-period" (overrides the shared one).
	 */
	private Map<String, Connection> connections = new LinkedHashMap<>();

	public Duration getGracePeriod() {
		return this.gracePeriod;
	}

	public void setGracePeriod(Duration gracePeriod) {
		this.gracePeriod = gracePeriod;
	}

	public Server getServer() {
		return this.server;
	}

	public Map<String, Connection> getConnections() {
		return this.connections;
	}

	public void setConnections(Map<String, Connection> connections) {
		this.connections = connections;
	}

	/**
	 * Return the grace period of one connection.
	 * @param name the connection name
	 * @return its own grace period, or the shared one
	 */
	public Duration gracePeriodOf(String name) {
		Connection connection = this.connections.get(name);
		Duration own = (connection != null) ? connection.getGracePeriod() : null;
		return (own != null) ? own : this.gracePeriod;
	}

	/**
	 * Whether a connection has a health indicator.
	 * @param name the connection name
	 * @return whether it is enabled
	 */
	public boolean isEnabled(String name) {
		Connection connection = this.connections.get(name);
		return connection == null || connection.isEnabled();
	}

	/**
	 * Health of the DDP server.
	 *
	 * @since 0.1.0
	 */
	public static class Server {

		/**
		 * Whether to report the DDP server's health (accepting connections, sessions).
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Health of one client connection.
	 *
	 * @since 0.1.0
	 */
	public static class Connection {

		/**
		 * Whether to report this connection's health.
		 */
		private boolean enabled = true;

		/**
		 * Grace period of this connection; unset uses
		 * 'management.health.ddp.grace-period'.
		 */
		private @Nullable Duration gracePeriod;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getGracePeriod() {
			return this.gracePeriod;
		}

		public void setGracePeriod(@Nullable Duration gracePeriod) {
			this.gracePeriod = gracePeriod;
		}

	}

}
