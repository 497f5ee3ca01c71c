package io.ddp.spring.autoconfigure.client;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.autoconfigure.client.DdpClientOptionsMapper.ResolvedConnection;
import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.ReconnectPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DdpClientOptionsMapper}: how a connection's settings merge with
 * {@code ddp.client.defaults} and Meteor's built-in defaults.
 */
class DdpClientOptionsMapperTests {

	private static final DdpClientOptions BUILT_IN = DdpClientOptions.builder(URI.create("ws://localhost/websocket"))
		.build();

	@Test
	void unsetSettingsAreMeteorsBuiltInDefaults() {
		ResolvedConnection resolved = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket");
		DdpClientOptions options = resolved.options();
		assertThat(options.url()).isEqualTo(URI.create("ws://example.org/websocket"));
		assertThat(options.transport()).isEqualTo(DdpClientOptions.Transport.WEBSOCKET);
		assertThat(options.headers()).isEmpty();
		assertThat(options.retry()).isEqualTo(ReconnectPolicy.meteorDefaults());
		assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofMillis(17500));
		assertThat(options.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(options.connectTimeout()).isEqualTo(BUILT_IN.connectTimeout());
		assertThat(options.callTimeout()).isEqualTo(BUILT_IN.callTimeout());
		assertThat(options.supportedVersions()).containsExactly("1", "pre2", "pre1");
		assertThat(options.resumeToken()).isNull();
		assertThat(options.username()).isNull();
		assertThat(options.password()).isNull();
		assertThat(resolved.lazy()).isFalse();
		assertThat(resolved.name()).isEqualTo("remote");
	}

	@Test
	void everySettingBindsFromTheConnection() {
		DdpClientOptions options = resolve("remote", "ddp.client.connections.remote.url=http://example.org/sockjs",
				"ddp.client.connections.remote.transport=sockjs",
				"ddp.client.connections.remote.headers.[X-Api-Key]=abc",
				"ddp.client.connections.remote.retry.enabled=false",
				"ddp.client.connections.remote.retry.base-delay=2s",
				"ddp.client.connections.remote.retry.multiplier=1.5",
				"ddp.client.connections.remote.retry.max-delay=1m",
				"ddp.client.connections.remote.retry.min-delay=50ms", "ddp.client.connections.remote.retry.min-count=3",
				"ddp.client.connections.remote.retry.jitter=0.2", "ddp.client.connections.remote.retry.max-attempts=7",
				"ddp.client.connections.remote.heartbeat.interval=0",
				"ddp.client.connections.remote.heartbeat.timeout=3s",
				"ddp.client.connections.remote.connect-timeout=4s", "ddp.client.connections.remote.call-timeout=5s",
				"ddp.client.connections.remote.supported-versions=1",
				"ddp.client.connections.remote.login.resume-token=tok",
				"ddp.client.connections.remote.login.username=alice",
				"ddp.client.connections.remote.login.password=secret")
			.options();
		assertThat(options.transport()).isEqualTo(DdpClientOptions.Transport.SOCKJS);
		assertThat(options.headers()).containsExactly(Map.entry("X-Api-Key", "abc"));
		assertThat(options.retry()).isEqualTo(new ReconnectPolicy(false, Duration.ofSeconds(2), 1.5,
				Duration.ofMinutes(1), Duration.ofMillis(50), 3, 0.2, 7));
		assertThat(options.heartbeatInterval()).isZero();
		assertThat(options.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
		assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
		assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.supportedVersions()).containsExactly("1");
		assertThat(options.resumeToken()).isEqualTo("tok");
		assertThat(options.username()).isEqualTo("alice");
		assertThat(options.password()).isEqualTo("secret");
	}

	@Test
	void defaultsApplyWhereTheConnectionSetsNothing() {
		ResolvedConnection resolved = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket",
				"ddp.client.defaults.transport=sockjs", "ddp.client.defaults.call-timeout=9s",
				"ddp.client.defaults.retry.max-attempts=4", "ddp.client.defaults.heartbeat.interval=30s",
				"ddp.client.defaults.supported-versions=pre2,pre1", "ddp.client.defaults.lazy=true",
				"ddp.client.defaults.login.resume-token=shared");
		DdpClientOptions options = resolved.options();
		assertThat(options.transport()).isEqualTo(DdpClientOptions.Transport.SOCKJS);
		assertThat(options.callTimeout()).isEqualTo(Duration.ofSeconds(9));
		assertThat(options.retry().maxAttempts()).isEqualTo(4);
		assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.supportedVersions()).containsExactly("pre2", "pre1");
		assertThat(options.resumeToken()).isEqualTo("shared");
		assertThat(resolved.lazy()).isTrue();
	}

	@Test
	void connectionValuesWinOverDefaultsPropertyByProperty() {
		DdpClientOptions options = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket",
				"ddp.client.connections.remote.retry.base-delay=3s",
				"ddp.client.connections.remote.heartbeat.timeout=2s",
				"ddp.client.connections.remote.supported-versions=1", "ddp.client.defaults.retry.base-delay=10s",
				"ddp.client.defaults.retry.max-delay=30s", "ddp.client.defaults.heartbeat.interval=5s",
				"ddp.client.defaults.heartbeat.timeout=8s", "ddp.client.defaults.supported-versions=pre2,pre1")
			.options();
		// Each retry and heartbeat member merges on its own, not the whole group.
		assertThat(options.retry().baseDelay()).isEqualTo(Duration.ofSeconds(3));
		assertThat(options.retry().maxDelay()).isEqualTo(Duration.ofSeconds(30));
		assertThat(options.retry().multiplier()).isEqualTo(ReconnectPolicy.meteorDefaults().multiplier());
		assertThat(options.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(options.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(2));
		// A list is one value: the connection's replaces the default's.
		assertThat(options.supportedVersions()).containsExactly("1");
	}

	@Test
	void anExplicitFalseOnTheConnectionWinsOverATrueDefault() {
		ResolvedConnection resolved = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket",
				"ddp.client.connections.remote.lazy=false", "ddp.client.connections.remote.retry.enabled=true",
				"ddp.client.defaults.lazy=true", "ddp.client.defaults.retry.enabled=false");
		assertThat(resolved.lazy()).isFalse();
		assertThat(resolved.options().retry().enabled()).isTrue();
	}

	@Test
	void headersMergeNameByNameWithTheConnectionWinningCaseInsensitively() {
		DdpClientOptions options = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket",
				"ddp.client.defaults.headers.[Authorization]=Bearer shared",
				"ddp.client.defaults.headers.[X-Tenant]=acme",
				"ddp.client.connections.remote.headers.[authorization]=Bearer own",
				"ddp.client.connections.remote.headers.[X-Trace]=on")
			.options();
		assertThat(options.headers()).hasSize(3)
			.containsEntry("X-Tenant", "acme")
			.containsEntry("X-Trace", "on")
			.containsEntry("authorization", "Bearer own")
			.doesNotContainKey("Authorization");
	}

	@Test
	void eachConnectionMergesWithTheSameDefaultsIndependently() {
		Map<String, String> properties = properties("ddp.client.connections.a.url=ws://a.example/websocket",
				"ddp.client.connections.b.url=ws://b.example/websocket", "ddp.client.connections.b.call-timeout=1s",
				"ddp.client.defaults.call-timeout=20s", "ddp.client.defaults.headers.[X-App]=demo",
				"ddp.client.connections.a.headers.[X-Only-A]=1");
		DdpClientProperties bound = bind(properties);
		DdpClientOptions a = DdpClientOptionsMapper.resolve("a", bound).options();
		DdpClientOptions b = DdpClientOptionsMapper.resolve("b", bound).options();
		assertThat(a.callTimeout()).isEqualTo(Duration.ofSeconds(20));
		assertThat(b.callTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(a.headers()).containsOnlyKeys("X-App", "X-Only-A");
		assertThat(b.headers()).containsOnlyKeys("X-App");
		// Merging never writes into the bound defaults.
		assertThat(bound.getDefaults().getHeaders()).containsOnlyKeys("X-App");
	}

	@Test
	void aConnectionWithoutUrlFailsNamingTheProperty() {
		assertThatExceptionOfType(MissingDdpConnectionUrlException.class)
			.isThrownBy(() -> resolve("remote", "ddp.client.connections.remote.call-timeout=5s"))
			.withMessageContaining("'ddp.client.connections.remote.url'")
			.satisfies((ex) -> assertThat(ex.getProperty()).isEqualTo("ddp.client.connections.remote.url"));
	}

	@Test
	void urlsNeedAWebSocketOrHttpSchemeAndAHost() {
		for (String url : List.of("ftp://example.org/websocket", "example.org:3000/websocket", "ws:///websocket",
				"localhost")) {
			assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).as(url)
				.isThrownBy(() -> resolve("remote", "ddp.client.connections.remote.url=" + url))
				.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("ddp.client.connections.remote.url"))
				.withMessageContaining("scheme ws, wss, http or https");
		}
		for (String url : List.of("wss://example.org/websocket", "https://example.org/sockjs",
				"WS://127.0.0.1:3000/websocket")) {
			assertThat(resolve("remote", "ddp.client.connections.remote.url=" + url).options().url())
				.isEqualTo(URI.create(url));
		}
	}

	@Test
	void aPlaceholderLeftInTheUrlFailsNamingThePropertyAndTheLazyWayOut() {
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).isThrownBy(
				() -> resolve("self", "ddp.client.connections.self.url=ws://localhost:${local.server.port}/websocket"))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo("ddp.client.connections.self.url"))
			.withMessageContaining("only in a lazy connection");
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class)
			.isThrownBy(() -> resolve("remote", "ddp.client.connections.remote.url=ws://exa mple.org/websocket"))
			.withMessageContaining("Not a valid URI");
	}

	@Test
	void invalidValuesFailNamingThePropertyTheyCameFrom() {
		assertInvalid("ddp.client.connections.remote.retry.multiplier", "0.5", "must be 1 or more");
		assertInvalid("ddp.client.defaults.retry.multiplier", "0.5", "must be 1 or more");
		assertInvalid("ddp.client.connections.remote.retry.jitter", "1.5", "between 0 and 1");
		assertInvalid("ddp.client.defaults.retry.base-delay", "0s", "must be positive");
		assertInvalid("ddp.client.connections.remote.retry.min-delay", "-1s", "must not be negative");
		assertInvalid("ddp.client.connections.remote.retry.max-attempts", "-1", "must not be negative");
		assertInvalid("ddp.client.connections.remote.retry.min-count", "-2", "must not be negative");
		assertInvalid("ddp.client.connections.remote.connect-timeout", "0ms", "must be positive");
		assertInvalid("ddp.client.defaults.call-timeout", "-5s", "must be positive");
		assertInvalid("ddp.client.connections.remote.heartbeat.interval", "-1s", "must not be negative");
		assertInvalid("ddp.client.connections.remote.heartbeat.timeout", "0s", "must be positive");
		assertInvalid("ddp.client.connections.remote.supported-versions", " ", "At least one DDP version");
		assertInvalid("ddp.client.connections.remote.retry.max-delay", "1ms", "must not be shorter than the min-delay");
	}

	@Test
	void credentialsNeedBothUserNameAndPassword() {
		assertInvalid("ddp.client.connections.remote.login.password", null, "needs a password",
				"ddp.client.connections.remote.login.username=alice");
		assertInvalid("ddp.client.connections.remote.login.username", null, "needs a user name",
				"ddp.client.defaults.login.password=secret");
		DdpClientOptions options = resolve("remote", "ddp.client.connections.remote.url=ws://example.org/websocket",
				"ddp.client.defaults.login.username=alice", "ddp.client.connections.remote.login.password=secret")
			.options();
		assertThat(options.username()).isEqualTo("alice");
		assertThat(options.password()).isEqualTo("secret");
	}

	private void assertInvalid(String property, String value, String reason, String... more) {
		String[] all = new String[more.length + 2];
		all[0] = "ddp.client.connections.remote.url=ws://example.org/websocket";
		all[1] = (value != null) ? property + "=" + value : "ddp.client.connections.remote.call-timeout=1s";
		System.arraycopy(more, 0, all, 2, more.length);
		assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).as(property)
			.isThrownBy(() -> resolve("remote", all))
			.satisfies((ex) -> assertThat(ex.getName()).isEqualTo(property))
			.withMessageContaining(reason);
	}

	private static ResolvedConnection resolve(String name, String... pairs) {
		return DdpClientOptionsMapper.resolve(name, bind(properties(pairs)));
	}

	private static DdpClientProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bind("ddp.client", DdpClientProperties.class)
			.orElseGet(DdpClientProperties::new);
	}

	private static Map<String, String> properties(String... pairs) {
		Map<String, String> properties = new LinkedHashMap<>();
		for (String pair : pairs) {
			int equals = pair.indexOf('=');
			properties.put(pair.substring(0, equals), pair.substring(equals + 1));
		}
		return properties;
	}

}
