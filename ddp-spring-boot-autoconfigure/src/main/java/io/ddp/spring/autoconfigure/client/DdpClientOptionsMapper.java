package io.ddp.spring.autoconfigure.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.ddp.spring.autoconfigure.client.DdpClientProperties.Connection;
import io.ddp.spring.autoconfigure.client.DdpClientProperties.ConnectionSettings;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.ReconnectPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.LinkedCaseInsensitiveMap;
import org.springframework.util.StringUtils;

/**
 * Turns one configured connection into {@link DdpClientOptions}: each setting is the
 * connection's own value, else the value under {@code ddp.client.defaults}, else Meteor's
 * built-in default. Invalid values fail with the name of the property they came from.
 *
 * @since 0.1.0
 */
final class DdpClientOptionsMapper {

	static final String PREFIX = "ddp.client";

	private static final Set<String> SCHEMES = Set.of("ws", "wss", "http", "https");

	private final String name;

	private final Connection connection;

	private final ConnectionSettings defaults;

	private DdpClientOptionsMapper(String name, Connection connection, ConnectionSettings defaults) {
		this.name = name;
		this.connection = connection;
		this.defaults = defaults;
	}

	/**
	 * Resolve one connection of the given properties.
	 * @param name the connection name
	 * @param properties the bound properties
	 * @return the options and whether the connection opens lazily
	 * @throws MissingDdpConnectionUrlException when the connection has no URL
	 * @throws InvalidConfigurationPropertyValueException when a value is invalid
	 */
	static ResolvedConnection resolve(String name, DdpClientProperties properties) {
		Connection connection = properties.getConnections().get(name);
		if (connection == null) {
			throw new IllegalArgumentException("No connection named '" + name + "' is configured");
		}
		return new DdpClientOptionsMapper(name, connection, properties.getDefaults()).resolve();
	}

	/**
	 * Return whether a connection opens lazily, without resolving the rest of it.
	 * @param name the connection name
	 * @param properties the bound properties
	 * @return whether {@code lazy} is set on the connection or under the defaults
	 */
	static boolean isLazy(String name, DdpClientProperties properties) {
		Connection connection = properties.getConnections().get(name);
		Boolean own = (connection != null) ? connection.getLazy() : null;
		Boolean lazy = (own != null) ? own : properties.getDefaults().getLazy();
		return lazy != null && lazy;
	}

	/**
	 * Return whether a connection's URL still holds a placeholder, one the environment
	 * cannot resolve before the server started.
	 * @param name the connection name
	 * @param properties the bound properties
	 * @return whether the URL holds a placeholder
	 */
	static boolean hasUnresolvedUrl(String name, DdpClientProperties properties) {
		Connection connection = properties.getConnections().get(name);
		String url = (connection != null) ? connection.getUrl() : null;
		return url != null && hasPlaceholder(url);
	}

	private static boolean hasPlaceholder(String text) {
		return text.contains("${");
	}

	static String connectionProperty(String name, String property) {
		return PREFIX + ".connections." + name + "." + property;
	}

	private ResolvedConnection resolve() {
		DdpClientOptions.Builder builder = DdpClientOptions.builder(url());
		DdpClientOptions builtIn = DdpClientOptions.builder(URI.create("ws://localhost/websocket")).build();
		Setting<DdpClientOptions.Transport> transport = merged(ConnectionSettings::getTransport, "transport");
		if (transport != null) {
			builder.transport(transport.value());
		}
		builder.headers(headers());
		builder.retry(retry(builtIn.retry()));
		Duration interval = nonNegative(
				merged((settings) -> settings.getHeartbeat().getInterval(), "heartbeat.interval"),
				builtIn.heartbeatInterval());
		Duration timeout = positive(merged((settings) -> settings.getHeartbeat().getTimeout(), "heartbeat.timeout"),
				builtIn.heartbeatTimeout());
		builder.heartbeat(interval, timeout);
		builder.connectTimeout(
				positive(merged(ConnectionSettings::getConnectTimeout, "connect-timeout"), builtIn.connectTimeout()));
		builder
			.callTimeout(positive(merged(ConnectionSettings::getCallTimeout, "call-timeout"), builtIn.callTimeout()));
		Setting<List<String>> versions = merged(ConnectionSettings::getSupportedVersions, "supported-versions");
		if (versions != null) {
			List<String> cleaned = versions.value().stream().filter(StringUtils::hasText).map(String::trim).toList();
			if (cleaned.isEmpty()) {
				throw invalid(versions, "At least one DDP version must be offered, e.g. 1, pre2, pre1");
			}
			builder.supportedVersions(cleaned);
		}
		login(builder);
		Setting<Boolean> lazy = merged(ConnectionSettings::getLazy, "lazy");
		return new ResolvedConnection(this.name, builder.build(), lazy != null && lazy.value());
	}

	private URI url() {
		String text = this.connection.getUrl();
		String property = connectionProperty(this.name, "url");
		if (text == null || !StringUtils.hasText(text)) {
			throw new MissingDdpConnectionUrlException(this.name, property);
		}
		if (hasPlaceholder(text)) {
			throw new InvalidConfigurationPropertyValueException(property, text,
					"The URL holds a placeholder that is not resolved yet; a placeholder such as "
							+ "${local.server.port} resolves only in a lazy connection (lazy=true), at first use");
		}
		URI url;
		try {
			url = new URI(text.trim());
		}
		catch (URISyntaxException ex) {
			throw new InvalidConfigurationPropertyValueException(property, text, "Not a valid URI: " + ex.getMessage());
		}
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : null;
		if (scheme == null || !SCHEMES.contains(scheme) || !StringUtils.hasText(url.getHost())) {
			throw new InvalidConfigurationPropertyValueException(property, url,
					"A DDP server URL needs a host and the scheme ws, wss, http or https, "
							+ "e.g. ws://127.0.0.1:3000/websocket");
		}
		return url;
	}

	// Merged name by name; header names are case-insensitive, so 'authorization' under a
	// connection replaces 'Authorization' under the defaults.
	private Map<String, String> headers() {
		Map<String, String> merged = new LinkedCaseInsensitiveMap<>(Locale.ROOT);
		merged.putAll(this.defaults.getHeaders());
		merged.putAll(this.connection.getHeaders());
		return new LinkedHashMap<>(merged);
	}

	private ReconnectPolicy retry(ReconnectPolicy builtIn) {
		Setting<Boolean> enabled = merged((settings) -> settings.getRetry().getEnabled(), "retry.enabled");
		Duration baseDelay = positive(merged((settings) -> settings.getRetry().getBaseDelay(), "retry.base-delay"),
				builtIn.baseDelay());
		Setting<Double> multiplierSetting = merged((settings) -> settings.getRetry().getMultiplier(),
				"retry.multiplier");
		double multiplier = builtIn.multiplier();
		if (multiplierSetting != null) {
			if (!(multiplierSetting.value() >= 1)) {
				throw invalid(multiplierSetting, "The multiplier must be 1 or more");
			}
			multiplier = multiplierSetting.value();
		}
		Setting<Duration> maxDelaySetting = merged((settings) -> settings.getRetry().getMaxDelay(), "retry.max-delay");
		Duration maxDelay = positive(maxDelaySetting, builtIn.maxDelay());
		Duration minDelay = nonNegative(merged((settings) -> settings.getRetry().getMinDelay(), "retry.min-delay"),
				builtIn.minDelay());
		int minCount = nonNegative(merged((settings) -> settings.getRetry().getMinCount(), "retry.min-count"),
				builtIn.minCount());
		Setting<Double> jitterSetting = merged((settings) -> settings.getRetry().getJitter(), "retry.jitter");
		double jitter = builtIn.jitter();
		if (jitterSetting != null) {
			if (!(jitterSetting.value() >= 0 && jitterSetting.value() <= 1)) {
				throw invalid(jitterSetting, "The jitter must be between 0 and 1");
			}
			jitter = jitterSetting.value();
		}
		int maxAttempts = nonNegative(merged((settings) -> settings.getRetry().getMaxAttempts(), "retry.max-attempts"),
				builtIn.maxAttempts());
		if (maxDelay.compareTo(minDelay) < 0) {
			String property = (maxDelaySetting != null) ? maxDelaySetting.property()
					: connectionProperty(this.name, "retry.min-delay");
			throw new InvalidConfigurationPropertyValueException(property, maxDelay,
					"The retry max-delay (" + maxDelay + ") must not be shorter than the min-delay (" + minDelay + ")");
		}
		return new ReconnectPolicy((enabled != null) ? enabled.value() : builtIn.enabled(), baseDelay, multiplier,
				maxDelay, minDelay, minCount, jitter, maxAttempts);
	}

	private void login(DdpClientOptions.Builder builder) {
		Setting<String> token = merged((settings) -> settings.getLogin().getResumeToken(), "login.resume-token");
		Setting<String> username = merged((settings) -> settings.getLogin().getUsername(), "login.username");
		Setting<String> password = merged((settings) -> settings.getLogin().getPassword(), "login.password");
		if (token != null && StringUtils.hasText(token.value())) {
			builder.resumeToken(token.value());
		}
		if (username == null && password == null) {
			return;
		}
		if (username == null || !StringUtils.hasText(username.value())) {
			throw new InvalidConfigurationPropertyValueException(connectionProperty(this.name, "login.username"),
					(username != null) ? username.value() : null,
					"A login password needs a user name (login.username)");
		}
		if (password == null) {
			throw new InvalidConfigurationPropertyValueException(connectionProperty(this.name, "login.password"), null,
					"A login user name needs a password (login.password)");
		}
		builder.credentials(username.value(), password.value());
	}

	/**
	 * Return the connection's value if set, else the default's, with the property it came
	 * from; {@code null} when neither is set.
	 */
	private <T> @Nullable Setting<T> merged(Function<ConnectionSettings, @Nullable T> getter, String property) {
		T own = getter.apply(this.connection);
		if (own != null) {
			return new Setting<>(own, connectionProperty(this.name, property));
		}
		T fallback = getter.apply(this.defaults);
		if (fallback != null) {
			return new Setting<>(fallback, PREFIX + ".defaults." + property);
		}
		return null;
	}

	private static Duration positive(@Nullable Setting<Duration> setting, Duration builtIn) {
		if (setting == null) {
			return builtIn;
		}
		if (setting.value().isNegative() || setting.value().isZero()) {
			throw invalid(setting, "The duration must be positive");
		}
		return setting.value();
	}

	private static Duration nonNegative(@Nullable Setting<Duration> setting, Duration builtIn) {
		if (setting == null) {
			return builtIn;
		}
		if (setting.value().isNegative()) {
			throw invalid(setting, "The duration must not be negative");
		}
		return setting.value();
	}

	private static int nonNegative(@Nullable Setting<Integer> setting, int builtIn) {
		if (setting == null) {
			return builtIn;
		}
		if (setting.value() < 0) {
			throw invalid(setting, "The value must not be negative");
		}
		return setting.value();
	}

	private static InvalidConfigurationPropertyValueException invalid(Setting<?> setting, String reason) {
		return new InvalidConfigurationPropertyValueException(setting.property(), setting.value(), reason);
	}

	/**
	 * A configured value and the property it was read from.
	 */
	private record Setting<T>(T value, String property) {
	}

	/**
	 * The resolved settings of one connection.
	 *
	 * @param name the connection name
	 * @param options the options to create it with
	 * @param lazy whether it connects on first use instead of at startup
	 */
	record ResolvedConnection(String name, DdpClientOptions options, boolean lazy) {
	}

}
