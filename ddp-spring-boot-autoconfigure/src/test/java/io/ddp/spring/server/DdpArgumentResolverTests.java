package io.ddp.spring.server;

import java.net.URI;
import java.util.Map;

import io.ddp.spring.server.method.DdpArgumentResolver;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.publication.DdpPublication;
import io.ddp.spring.server.publication.ServerSubscription;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DdpArgumentResolver} beans adding parameter types to methods and publications,
 * over real WebSocket connections.
 */
@SpringBootTest(classes = DdpArgumentResolverTests.ResolverApplication.class, properties = "ddp.accounts.enabled=false",
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DdpArgumentResolverTests {

	@LocalServerPort
	int port;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@Test
	void customParameterOfAMethodIsResolvedAndTheArgumentsAroundItStillBindInOrder() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "greet", "[\"hi\",2]").get("result").asString())
				.isEqualTo("hi anonymous/websocket, hi anonymous/websocket");
			client.call("2", "login", "[\"ada\"]");
			assertThat(client.call("3", "greet", "[\"yo\",1]").get("result").asString()).isEqualTo("yo ada/websocket");
		}
	}

	@Test
	void customParameterOfAPublicationIsResolved() {
		try (RawDdpClient client = connect()) {
			client.call("1", "login", "[\"grace\"]");
			client.send("{\"msg\":\"sub\",\"id\":\"s\",\"name\":\"caller\",\"params\":[\"me\"]}");
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"added\",\"collection\":\"callers\",\"id\":\"me\","
					+ "\"fields\":{\"user\":\"grace\",\"transport\":\"websocket\"}}"));
			assertThat(client.next()).isEqualTo(json("{\"msg\":\"ready\",\"subs\":[\"s\"]}"));
		}
	}

	@Test
	void resolverBeansAreAskedInTheirOrder() {
		try (RawDdpClient client = connect()) {
			assertThat(client.call("1", "tenant", "[]").get("result").asString()).isEqualTo("first");
		}
	}

	@Test
	void argumentsNextToResolvedParametersFailAsBefore() {
		try (RawDdpClient client = connect()) {
			JsonNode notConverted = client.call("1", "greet", "[\"hi\",\"two\"]").get("error");
			assertThat(notConverted).isEqualTo(json("{\"isClientSafe\":true,\"error\":400,\"reason\":\"Match failed\","
					+ "\"message\":\"Match failed [400]\",\"errorType\":\"Meteor.Error\"}"));
			JsonNode invalid = client.call("2", "greet", "[\"hi\",0]").get("error");
			assertThat(invalid.get("reason").asString()).isEqualTo("Match failed");
			assertThat(invalid.get("details").get(0).get("path").asString()).isEqualTo("greet.times");
		}
	}

	record Caller(String user, String transport) {
	}

	record Tenant(String name) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ResolverApplication {

		@Bean
		DdpArgumentResolver callerResolver() {
			return DdpArgumentResolver.forType(Caller.class, (context) -> {
				String user = context.userId();
				ClientConnection connection = context.connection();
				return new Caller((user != null) ? user : "anonymous",
						(connection != null) ? connection.transport() : "server");
			});
		}

		// Declared before the first, so the order comes from @Order and not the
		// declaration.
		@Bean
		@Order(2)
		DdpArgumentResolver secondTenantResolver() {
			return DdpArgumentResolver.forType(Tenant.class, (context) -> new Tenant("second"));
		}

		@Bean
		@Order(1)
		DdpArgumentResolver firstTenantResolver() {
			return DdpArgumentResolver.forType(Tenant.class, (context) -> new Tenant("first"));
		}

		@Bean
		ResolvedHandlers resolvedHandlers() {
			return new ResolvedHandlers();
		}

	}

	static class ResolvedHandlers {

		@DdpMethod
		public @Nullable String login(@Nullable String user, DdpMethodInvocation invocation) {
			invocation.setUserId(user);
			return user;
		}

		@DdpMethod
		public String greet(String greeting, Caller caller, @Min(1) int times) {
			String one = greeting + " " + caller.user() + "/" + caller.transport();
			return String.join(", ", java.util.Collections.nCopies(times, one));
		}

		@DdpMethod
		public String tenant(Tenant tenant) {
			return tenant.name();
		}

		@DdpPublication
		public void caller(Caller caller, ServerSubscription subscription, String label) {
			subscription.added("callers", label, Map.of("user", caller.user(), "transport", caller.transport()));
			subscription.ready();
		}

	}

}
