package io.ddp.spring.autoconfigure.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.client.DdpClientOptions;
import io.ddp.spring.client.ReconnectPolicy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata the build generates for {@code ddp.client}: every
 * key is described, and the documented defaults are the built-in ones.
 */
class DdpClientConfigurationMetadataTests {

	private static final List<String> SETTINGS = List.of("transport", "headers", "connect-timeout", "call-timeout",
			"lazy", "supported-versions", "retry.enabled", "retry.base-delay", "retry.multiplier", "retry.max-delay",
			"retry.min-delay", "retry.min-count", "retry.jitter", "retry.max-attempts", "heartbeat.interval",
			"heartbeat.timeout", "login.resume-token", "login.username", "login.password");

	private final ConversionService conversion = ApplicationConversionService.getSharedInstance();

	@Test
	void everyDefaultsKeyIsDescribed() throws IOException {
		Map<String, JsonNode> properties = clientProperties();
		for (String setting : SETTINGS) {
			JsonNode property = properties.get("ddp.client.defaults." + setting);
			assertThat(property).as(setting).isNotNull();
			assertThat(property.path("description").asString()).as(setting).isNotBlank().doesNotStartWith("The ");
		}
		List<String> expected = new ArrayList<>(List.of("ddp.client.connections"));
		SETTINGS.forEach((setting) -> expected.add("ddp.client.defaults." + setting));
		assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(expected);
	}

	@Test
	void connectionsAreAMapOfConnectionGroupsWithTheSameSettingsPlusUrl() throws IOException {
		JsonNode connections = clientProperties().get("ddp.client.connections");
		assertThat(connections.path("type").asString())
			.isEqualTo("java.util.Map<java.lang.String," + DdpClientProperties.Connection.class.getName() + ">");
		assertThat(connections.path("description").asString()).contains("@DdpClient");
		assertThat(DdpClientProperties.ConnectionSettings.class).isAssignableFrom(DdpClientProperties.Connection.class);
	}

	@Test
	void documentedDefaultsAreTheBuiltInDefaults() throws IOException {
		Map<String, JsonNode> properties = clientProperties();
		DdpClientOptions builtIn = DdpClientOptions.builder(URI.create("ws://localhost/websocket")).build();
		ReconnectPolicy retry = builtIn.retry();
		assertThat(defaultValue(properties, "transport", DdpClientOptions.Transport.class))
			.isEqualTo(builtIn.transport());
		assertThat(defaultValue(properties, "connect-timeout", Duration.class)).isEqualTo(builtIn.connectTimeout());
		assertThat(defaultValue(properties, "call-timeout", Duration.class)).isEqualTo(builtIn.callTimeout());
		assertThat(defaultValue(properties, "heartbeat.interval", Duration.class))
			.isEqualTo(builtIn.heartbeatInterval());
		assertThat(defaultValue(properties, "heartbeat.timeout", Duration.class)).isEqualTo(builtIn.heartbeatTimeout());
		assertThat(properties.get("ddp.client.defaults.supported-versions")
			.path("defaultValue")
			.values()
			.stream()
			.map(JsonNode::asString)
			.toList()).isEqualTo(builtIn.supportedVersions());
		assertThat(defaultValue(properties, "lazy", Boolean.class)).isFalse();
		assertThat(defaultValue(properties, "retry.enabled", Boolean.class)).isEqualTo(retry.enabled());
		assertThat(defaultValue(properties, "retry.base-delay", Duration.class)).isEqualTo(retry.baseDelay());
		assertThat(defaultValue(properties, "retry.multiplier", Double.class)).isEqualTo(retry.multiplier());
		assertThat(defaultValue(properties, "retry.max-delay", Duration.class)).isEqualTo(retry.maxDelay());
		assertThat(defaultValue(properties, "retry.min-delay", Duration.class)).isEqualTo(retry.minDelay());
		assertThat(defaultValue(properties, "retry.min-count", Integer.class)).isEqualTo(retry.minCount());
		assertThat(defaultValue(properties, "retry.jitter", Double.class)).isEqualTo(retry.jitter());
		assertThat(defaultValue(properties, "retry.max-attempts", Integer.class)).isEqualTo(retry.maxAttempts());
	}

	private <T> T defaultValue(Map<String, JsonNode> properties, String setting, Class<T> type) {
		JsonNode value = properties.get("ddp.client.defaults." + setting).get("defaultValue");
		assertThat(value).as("default of %s", setting).isNotNull();
		return this.conversion.convert(value.isString() ? value.asString() : value.toString(), type);
	}

	private static Map<String, JsonNode> clientProperties() throws IOException {
		try (InputStream in = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			JsonNode metadata = JsonMapper.builder().build().readTree(in);
			Map<String, JsonNode> properties = new LinkedHashMap<>();
			for (JsonNode property : metadata.path("properties")) {
				String name = property.path("name").asString();
				if (name.startsWith("ddp.client.")) {
					properties.put(name, property);
				}
			}
			return properties;
		}
	}

}
