package io.ddp.spring.server;

import java.net.URI;

import io.ddp.spring.protocol.MeteorPasswords;
import io.ddp.spring.security.DigestPasswordEncoder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

import static io.ddp.spring.server.RawDdpClient.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DDP password logins checked by Spring Security's {@code AuthenticationManager} (a
 * {@code UserDetailsService} whose passwords a {@link DigestPasswordEncoder} stores),
 * over real WebSocket connections with the real accounts' {@code login} method.
 */
@SpringBootTest(classes = DdpAuthenticationManagerLoginTests.UserDetailsApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "ddp.security.authentication-manager-logins=true")
class DdpAuthenticationManagerLoginTests {

	@LocalServerPort
	int port;

	private RawDdpClient connect() {
		return RawDdpClient.connected(URI.create("ws://127.0.0.1:" + this.port + "/websocket"));
	}

	@Test
	void meteorDigestLoginIsCheckedByTheAuthenticationManagerAndCarriesItsAuthorities() {
		String token;
		try (RawDdpClient client = connect()) {
			JsonNode login = client.call("1", "login", "[{\"user\":{\"username\":\"alice\"},\"password\":{\"digest\":\""
					+ MeteorPasswords.digest("secret") + "\",\"algorithm\":\"sha-256\"}}]");
			assertThat(login.get("result").get("id").asString()).isEqualTo("alice");
			assertThat(login.get("result").get("type").asString()).isEqualTo("password");
			token = login.get("result").get("token").asString();
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).contains("alice [", "ROLE_USER");
			assertThat(client.call("3", "adminOnly", "[]").get("error").get("error").asInt()).isEqualTo(403);
		}
		// A resumed login keeps the UserDetailsService's authorities.
		try (RawDdpClient client = connect()) {
			client.call("1", "login", "[{\"resume\":\"" + token + "\"}]");
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).isEqualTo("alice [ROLE_USER]");
		}
	}

	@Test
	void plaintextLoginOfAnAdministrator() {
		try (RawDdpClient client = connect()) {
			client.call("1", "login", "[{\"user\":\"root\",\"password\":\"rootpw\"}]");
			assertThat(client.call("2", "adminOnly", "[]").get("result").asString()).isEqualTo("ok");
		}
	}

	@Test
	void wrongPasswordGetsMeteorsAmbiguousError() {
		try (RawDdpClient client = connect()) {
			JsonNode error = client.call("1", "login", "[{\"user\":{\"username\":\"alice\"},\"password\":\"nope\"}]")
				.get("error");
			assertThat(error).isEqualTo(json("{\"isClientSafe\":true,\"error\":403,"
					+ "\"reason\":\"Something went wrong. Please check your credentials.\","
					+ "\"message\":\"Something went wrong. Please check your credentials. [403]\","
					+ "\"errorType\":\"Meteor.Error\"}"));
			assertThat(client.call("2", "whoami", "[]").get("result").asString()).isEqualTo("anonymous");
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity
	static class UserDetailsApplication {

		@Bean
		DigestPasswordEncoder passwordEncoder() {
			return new DigestPasswordEncoder(new BCryptPasswordEncoder(4));
		}

		@Bean
		InMemoryUserDetailsManager users(DigestPasswordEncoder encoder) {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password(encoder.encode("secret")).roles("USER").build(),
					User.withUsername("root").password(encoder.encode("rootpw")).roles("ADMIN").build());
		}

		@Bean
		SecuredHandlers securedHandlers() {
			return new SecuredHandlers();
		}

	}

}
